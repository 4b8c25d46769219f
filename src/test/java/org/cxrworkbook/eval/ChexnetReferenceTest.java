package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ChexnetReferenceTest {

    @Test
    void publishedValuesByName() {
        // Rajpurkar et al. 2017, Table 1, as listed in the issue
        Map<String, Double> published = Map.ofEntries(Map.entry("Atelectasis", .8094), Map.entry("Cardiomegaly", .9248),
                Map.entry("Effusion", .8638), Map.entry("Infiltration", .7345), Map.entry("Mass", .8676),
                Map.entry("Nodule", .7802), Map.entry("Pneumonia", .7680), Map.entry("Pneumothorax", .8887),
                Map.entry("Consolidation", .7901), Map.entry("Edema", .8878), Map.entry("Emphysema", .9371),
                Map.entry("Fibrosis", .8047), Map.entry("Pleural_Thickening", .8062), Map.entry("Hernia", .9164));
        published.forEach((name, v) -> assertEquals(v, ChexnetReference.chexnet().get(Finding.fromLabel(name).orElseThrow())));
        double mean = ChexnetReference.chexnet().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(ChexnetReference.CHEXNET_MEAN, mean, 0.0005);
        assertEquals(0.896, ChexnetReference.course().get(Finding.CARDIOMEGALY));
        assertEquals(0.651, ChexnetReference.course().get(Finding.INFILTRATION));
        assertEquals(0.803, ChexnetReference.course().get(Finding.PNEUMOTHORAX));
    }

    @Test
    void comparisonTableIsLabelledForReferenceOnlyOffNih() {
        Predictions p = TestPredictions.of(List.of("1", "2", "3", "4"),
                Map.of(Finding.EDEMA, new int[] {0, 0, 1, 1}), Map.of(Finding.EDEMA, new double[] {.1, .2, .3, .4}));
        RocReport r = RocAnalysis.builder().bootstrap(0).build().analyse(p);
        Table phantom = ChexnetReference.comparison(r, false);
        assertTrue(phantom.name().contains("for reference only"));
        Table nih = ChexnetReference.comparison(r, true);
        assertTrue(!nih.name().contains("for reference only"));
        assertEquals("Edema", nih.stringColumn("Finding").get(3));
        assertEquals("1.000", nih.stringColumn("Ours").get(3));
        assertEquals("0.888", nih.stringColumn("CheXNet").get(3));
        assertEquals("0.112", nih.stringColumn("Ours - CheXNet").get(3));
        assertEquals("0.841", nih.stringColumn("CheXNet").get(14));
    }
}
