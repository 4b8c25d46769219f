package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitBalanceTest {

    private static ImageRecord film(String patient, int k, Finding... findings) {
        EnumSet<Finding> f = EnumSet.noneOf(Finding.class);
        f.addAll(List.of(findings));
        return ImageRecord.of(String.format("%08d_%03d.png", Integer.parseInt(patient), k), patient, f);
    }

    /** train: 4 films, 1 Mass; val: 4 films, 3 Mass (2 of patient 7). Every other finding is missing. */
    private static Map<String, List<ImageRecord>> parts() {
        Map<String, List<ImageRecord>> m = new LinkedHashMap<>();
        m.put("train", List.of(film("1", 0, Finding.MASS), film("2", 0), film("3", 0), film("4", 0, Finding.HERNIA)));
        m.put("val", List.of(film("7", 0, Finding.MASS), film("7", 1, Finding.MASS), film("8", 0, Finding.MASS),
                film("9", 0, Finding.HERNIA)));
        return m;
    }

    @Test
    void sharesAndGapsByHand() {
        SplitBalance b = SplitBalance.of(parts());
        assertEquals(25.0, b.percent(Finding.MASS, "train"), 1e-12);
        assertEquals(75.0, b.percent(Finding.MASS, "val"), 1e-12);
        assertEquals(50.0, b.gap(Finding.MASS), 1e-12);
        assertEquals(0.0, b.gap(Finding.HERNIA), 1e-12);
        assertEquals(Finding.MASS, b.widestGap());
        assertEquals(List.of(25.0, 75.0, 50.0), List.of(b.table().doubleColumn("train %").get(Finding.MASS.ordinal()),
                b.table().doubleColumn("val %").get(Finding.MASS.ordinal()),
                b.table().doubleColumn("gap (points)").get(Finding.MASS.ordinal())));
    }

    @Test
    void summaryStatesTheNumbers() {
        String s = SplitBalance.of(parts()).summary();
        assertEquals("Each finding's share of the images differs between the splits by at most 50.0 percentage points: "
                + "the widest gap is Mass, 75.0 % of val against 25.0 % of train. 2 of the 3 Mass films in val belong "
                + "to one patient (7), whose films must stay together. No films of: Atelectasis in train, Atelectasis in val, "
                + "Cardiomegaly in train, Cardiomegaly in val, Consolidation in train, Consolidation in val, Edema in train, "
                + "Edema in val, Effusion in train, Effusion in val, Emphysema in train, Emphysema in val, Fibrosis in train, "
                + "Fibrosis in val, Infiltration in train, Infiltration in val, Nodule in train, Nodule in val, "
                + "Pleural_Thickening in train, Pleural_Thickening in val, Pneumonia in train, Pneumonia in val, "
                + "Pneumothorax in train, Pneumothorax in val.", s);
    }

    @Test
    void unknownPartIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> SplitBalance.of(parts()).percent(Finding.MASS, "test"));
        assertEquals("unknown part 'test', expected one of [train, val]", e.getMessage());
    }
}
