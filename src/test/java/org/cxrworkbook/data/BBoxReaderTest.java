package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BBoxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRealFormatAndMapsInfiltrate() {
        Path csv = dir.resolve(NihFiles.BBOX_LIST);
        Fixtures.write(csv, Fixtures.BBOX_HEADER, Fixtures.BBOX_ROWS);
        Parsed<BoundingBox> parsed = BBoxReader.read(csv);
        assertEquals(List.of(), parsed.problems());
        assertEquals(List.of(
                new BoundingBox("00000006_000.png", Finding.ATELECTASIS, 225.084745762712, 547.019216763771,
                        86.7796610169491, 79.1864406779661),
                new BoundingBox("00000005_001.png", Finding.INFILTRATION, 10, 20, 30.5, 40.25)), parsed.items());
        assertEquals(List.of(2L, 3L), parsed.rows());
    }

    @Test
    void reportsBadRowsAndWrongHeader() {
        Path csv = dir.resolve(NihFiles.BBOX_LIST);
        Fixtures.write(csv, Fixtures.BBOX_HEADER, List.of(
                "a.png,Atelectasis,1,2,3,,,,",
                "b.png,Lump,1,2,3,4,,,",
                "c.png,Mass,1,x,3,4,,,",
                "d.png,Mass,1,2,3,4,,,"));
        Parsed<BoundingBox> parsed = BBoxReader.read(csv);
        String f = NihFiles.BBOX_LIST;
        assertEquals(List.of(new Problem(f, 2, "row has 5 fields, expected 6"),
                new Problem(f, 3, "unknown finding 'Lump'"),
                new Problem(f, 4, "bad box coordinates '1,x,3,4'")), parsed.problems());
        assertEquals(1, parsed.items().size());

        Fixtures.write(csv, "Image Index,Finding Label,x,y,w,h", List.of("d.png,Mass,1,2,3,4"));
        Problem p = BBoxReader.read(csv).problems().get(0);
        assertEquals(1, p.row());
        assertTrue(p.message().startsWith("wrong header"));
    }
}
