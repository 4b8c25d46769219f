package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.PngHeader;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ExplainSamplesTest {

    static ImageRecord record(String name, int w, int h) {
        return new ImageRecord(name, name.substring(0, 8), 0, Set.of(Finding.MASS), 50, "M", "PA", w, h, 0.14, 0.14);
    }

    static ListDataSetIterator<DataSet> images(int n) {
        List<DataSet> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new DataSet(Nd4j.valueArrayOf(new long[] {1, 1, 4, 4}, i, DataType.FLOAT),
                    Nd4j.zeros(DataType.FLOAT, 1, Finding.COUNT)));
        }
        return new ListDataSetIterator<>(list, 2); // batches of 2: [0,1], [2]
    }

    @Test
    void oneSamplePerRecordInOrderWithBoxesAndPngSize() {
        List<ImageRecord> records = List.of(record("00000001_000.png", 1024, 1024),
                record("00000002_000.png", 2000, 2500), record("00000003_000.png", 1024, 1024));
        BoundingBox box = new BoundingBox("00000002_000.png", Finding.MASS, 10, 20, 30, 40);
        List<ExplainSample> s = ExplainSamples.fromIterator(images(3), records,
                name -> name.equals("00000002_000.png") ? List.of(box) : List.of(),
                r -> new PngHeader(r.imageIndex().equals("00000002_000.png") ? 512 : 1024, 1024, 8, 0, 0));
        assertEquals(3, s.size());
        assertEquals(2.0, s.get(2).input().getDouble(0, 0, 3, 3));
        assertEquals(List.of(1L, 1L, 4L, 4L), java.util.Arrays.stream(s.get(1).input().shape()).boxed().toList());
        assertEquals(List.of(box), s.get(1).boxes());
        assertEquals(512, s.get(1).pngWidth(), "the PNG header's size, not Data_Entry's 2000×2500");
        assertEquals(1024, s.get(1).pngHeight());
        assertEquals(Set.of(Finding.MASS), s.get(0).findings());
    }

    @Test
    void countMismatchAndNonPositivePngSizeAreErrors() {
        List<ImageRecord> two = List.of(record("00000001_000.png", 1024, 1024), record("00000002_000.png", 1024, 1024));
        assertThrows(IllegalStateException.class, () -> ExplainSamples.fromIterator(images(3), two, n -> List.of(),
                r -> new PngHeader(8, 8, 8, 0, 0)));
        var e = assertThrows(IllegalArgumentException.class, () -> ExplainSamples.fromIterator(images(1),
                List.of(record("00000009_000.png", 0, 0)), n -> List.of(), r -> new PngHeader(0, 0, 8, 0, 0)));
        assertTrue(e.getMessage().contains("00000009_000.png"), e.getMessage());
    }
}
