package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class LabelStatsTest {

    private static final List<ImageRecord> RECORDS = List.of(
            ImageRecord.of("a.png", "1", Set.of()),
            ImageRecord.of("b.png", "1", Set.of(Finding.MASS, Finding.NODULE)),
            ImageRecord.of("c.png", "2", Set.of(Finding.MASS)),
            ImageRecord.of("d.png", "3", Set.of(Finding.MASS, Finding.NODULE, Finding.EDEMA)),
            ImageRecord.of("e.png", "3", Set.of()),
            ImageRecord.of("f.png", "3", Set.of()));

    @Test
    void findingsPerImage() {
        Table t = LabelStats.findingsPerImage(RECORDS);
        assertEquals(List.of(0, 1, 2, 3), t.intColumn(0).asList());
        assertEquals(List.of(3, 1, 1, 1), t.intColumn("count").asList());
        assertEquals(0.5, t.doubleColumn("share").get(0), 1e-12);
    }

    @Test
    void imagesPerPatient() {
        Table t = LabelStats.imagesPerPatient(RECORDS);
        assertEquals(List.of(1, 2, 3), t.intColumn(0).asList());
        assertEquals(List.of(1, 1, 1), t.intColumn("count").asList());
    }

    @Test
    void cooccurrence() {
        Table t = LabelStats.cooccurrence(RECORDS);
        assertEquals(14, t.rowCount());
        assertEquals(3, t.intColumn("Mass").get(Finding.MASS.ordinal()));
        assertEquals(2, t.intColumn("Nodule").get(Finding.MASS.ordinal()));
        assertEquals(1, t.intColumn("Edema").get(Finding.NODULE.ordinal()));
        assertEquals(0, t.intColumn("Hernia").get(Finding.MASS.ordinal()));
    }
}
