package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OverlapCheckTest {

    private static ImageRecord img(String patient, int followUp) {
        return ImageRecord.of(String.format("%08d_%03d.png", Integer.parseInt(patient), followUp), patient, Set.of());
    }

    @Test
    void reportsSharedPatientsAndTheirImagesPerPair() {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        splits.put("train", List.of(img("1", 0), img("2", 0), img("10", 0)));
        splits.put("val", List.of(img("3", 0), img("10", 1)));
        splits.put("test", List.of(img("2", 1), img("4", 0), img("10", 2)));
        List<Overlap> overlaps = OverlapCheck.check(splits);
        assertEquals(List.of(
                new Overlap("train", "val", List.of("10"), List.of("00000010_000.png", "00000010_001.png")),
                new Overlap("train", "test", List.of("2", "10"),
                        List.of("00000002_000.png", "00000010_000.png", "00000002_001.png", "00000010_002.png")),
                new Overlap("val", "test", List.of("10"), List.of("00000010_001.png", "00000010_002.png"))), overlaps);
    }

    @Test
    void tableListsOnePairPerRow() {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        splits.put("train", List.of(img("1", 0), img("2", 0)));
        splits.put("test", List.of(img("1", 1), img("2", 1), img("2", 2)));
        var t = OverlapCheck.table(OverlapCheck.check(splits));
        assertEquals(1, t.rowCount());
        assertEquals("train / test", t.stringColumn("splits").get(0));
        assertEquals(2, t.intColumn("patients").get(0));
        assertEquals(5, t.intColumn("images").get(0));
        assertEquals("1, 2", t.stringColumn("patient ids").get(0));
    }

    @Test
    void disjointSplitsHaveNoOverlap() {
        Map<String, List<ImageRecord>> splits = Map.of("a", List.of(img("1", 0), img("1", 1)), "b", List.of(img("2", 0)));
        assertEquals(List.of(), OverlapCheck.check(splits));
    }
}
