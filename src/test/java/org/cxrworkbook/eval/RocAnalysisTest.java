package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class RocAnalysisTest {

    // Atelectasis AUC 0.75, Cardiomegaly all negative (undefined), Consolidation AUC 0.875 (with a tie),
    // Edema perfect, Effusion reversed; the other 9 findings 0.5.
    private static final Predictions P = TestPredictions.of(List.of("1", "2", "3", "4"),
            Map.of(Finding.ATELECTASIS, new int[] {0, 0, 1, 1},
                    Finding.CARDIOMEGALY, new int[] {0, 0, 0, 0},
                    Finding.CONSOLIDATION, new int[] {0, 1, 0, 1},
                    Finding.EDEMA, new int[] {0, 0, 1, 1},
                    Finding.EFFUSION, new int[] {0, 0, 1, 1}),
            Map.of(Finding.ATELECTASIS, new double[] {0.1, 0.4, 0.35, 0.8},
                    Finding.CARDIOMEGALY, new double[] {0.9, 0.1, 0.2, 0.3},
                    Finding.CONSOLIDATION, new double[] {0.5, 0.5, 0.2, 0.9},
                    Finding.EDEMA, new double[] {0.1, 0.2, 0.3, 0.4},
                    Finding.EFFUSION, new double[] {0.4, 0.3, 0.2, 0.1}));

    @Test
    void oneValuedFindingIsUndefinedAndDoesNotShiftOthers() {
        RocReport r = RocAnalysis.builder().bootstrap(0).build().analyse(P);
        assertEquals(0.75, r.get(Finding.ATELECTASIS).auc(), 1e-12);
        assertFalse(r.get(Finding.CARDIOMEGALY).defined());
        assertTrue(r.get(Finding.CARDIOMEGALY).curve().isEmpty());
        assertEquals(0, r.get(Finding.CARDIOMEGALY).nPos());
        assertEquals(4, r.get(Finding.CARDIOMEGALY).nNeg());
        assertEquals(0.875, r.get(Finding.CONSOLIDATION).auc(), 1e-12);
        assertEquals(1.0, r.get(Finding.EDEMA).auc(), 1e-12);
        assertEquals(0.0, r.get(Finding.EFFUSION).auc(), 1e-12);
        assertEquals(0.5, r.get(Finding.PNEUMOTHORAX).auc(), 1e-12);
        assertEquals(13, r.definedCount());
        assertEquals((0.75 + 0.875 + 1.0 + 0.0 + 9 * 0.5) / 13, r.meanAuc(), 1e-12);

        Table t = r.table();
        assertEquals("Atelectasis", t.stringColumn("Finding").get(0));
        assertEquals("0.750", t.stringColumn("AUC").get(0));
        assertEquals("Cardiomegaly", t.stringColumn("Finding").get(1));
        assertEquals("n/a", t.stringColumn("AUC").get(1));
        assertEquals("Consolidation", t.stringColumn("Finding").get(2));
        assertEquals("0.875", t.stringColumn("AUC").get(2));
        assertEquals(15, t.rowCount());
    }

    @Test
    void jsonHasNullsForUndefinedAndNamesInPlace() {
        JsonObject j = new JsonParser().parse(RocAnalysis.builder().bootstrap(50).build().analyse(P).toJson()).getAsJsonObject();
        JsonObject f = j.getAsJsonObject("findings");
        assertTrue(f.getAsJsonObject("Cardiomegaly").get("auc").isJsonNull());
        assertTrue(f.getAsJsonObject("Cardiomegaly").get("ci_low").isJsonNull());
        assertEquals(0, f.getAsJsonObject("Cardiomegaly").get("n_pos").getAsInt());
        assertEquals(0.875, f.getAsJsonObject("Consolidation").get("auc").getAsDouble(), 1e-12);
        assertEquals(2, f.getAsJsonObject("Consolidation").get("n_pos").getAsInt());
        assertEquals(2, f.getAsJsonObject("Consolidation").get("n_neg").getAsInt());
        assertEquals((0.75 + 0.875 + 1.0 + 0.0 + 9 * 0.5) / 13, j.get("mean_auc").getAsDouble(), 1e-12);
        assertFalse(j.get("mean_ci_low").isJsonNull());
        assertEquals(14, f.size());
    }

    @Test
    void reportWithoutBootstrapHasNoIntervals() {
        RocReport r = RocAnalysis.builder().bootstrap(0).build().analyse(P);
        assertFalse(r.meanCi().defined());
        assertEquals("n/a", r.table().stringColumn("95% CI").get(0));
        assertNull(r.toMap().get("mean_ci_low"));
    }

    @Test
    void emptySplitIsRejected() {
        Predictions empty = Predictions.of(List.of(), List.of(), new int[0][], new double[0][]);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RocAnalysis.defaults().analyse(empty));
        assertTrue(e.getMessage().contains("split is empty"), e.getMessage());
    }

    @Test
    void operatingPointTableKeepsNames() {
        Table t = RocAnalysis.builder().bootstrap(0).build().analyse(P).operatingPoints();
        assertEquals("Cardiomegaly", t.stringColumn("Finding").get(1));
        assertEquals("n/a", t.stringColumn("Threshold").get(1));
        assertEquals("Edema", t.stringColumn("Finding").get(3));
        assertEquals("1.000", t.stringColumn("Sensitivity").get(3));
        assertEquals("1.000", t.stringColumn("Specificity").get(3));
    }
}
