package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;

class OperatingPointAnalysisTest {

    // Validation, Atelectasis: scores 0.9(+) 0.7(-) 0.6(+) 0.2(-) 0.1(-). Youden by hand: t=0.9 J=.5, t=0.7 J=.167,
    // t=0.6 J=1-1/3=.667 (best), t=0.2 J=.333 -> threshold 0.6.
    private static final Predictions VAL = TestPredictions.of(List.of("1", "2", "3", "4", "5"),
            Map.of(Finding.ATELECTASIS, new int[] {1, 0, 1, 0, 0}, Finding.MASS, new int[] {0, 0, 0, 0, 1},
                    Finding.HERNIA, new int[] {0, 0, 0, 0, 0}),
            Map.of(Finding.ATELECTASIS, new double[] {0.9, 0.7, 0.6, 0.2, 0.1}, Finding.MASS, new double[] {.1, .2, .3, .4, .9}));
    // Test, Atelectasis: at 0.6 -> TP 0.65, FN 0.5, FP 0.62, TN 0.1: sensitivity 0.5, specificity 0.5 (J = 0). Youden on
    // test: t=0.65 J=.5, t=0.62 J=0, t=0.5 J=.5 -> the tie goes to the higher threshold, 0.65 (J = 0.5). Mass: 3 of 4 test films against 1 of 5 validation films.
    private static final Predictions TEST = TestPredictions.of(List.of("11", "12", "13", "14"),
            Map.of(Finding.ATELECTASIS, new int[] {1, 0, 1, 0}, Finding.MASS, new int[] {1, 1, 1, 0},
                    Finding.HERNIA, new int[] {0, 0, 0, 1}),
            Map.of(Finding.ATELECTASIS, new double[] {0.65, 0.62, 0.5, 0.1}, Finding.MASS, new double[] {.95, .5, .92, .1}));

    private static OperatingPointReport report(int bootstrap) {
        return OperatingPointAnalysis.builder().bootstrap(bootstrap).seed(3).build().analyse(VAL, TEST);
    }

    @Test
    void thresholdComesFromValidationAndIsMeasuredOnTest() {
        OperatingPointReport.Row r = report(0).get(Finding.ATELECTASIS);
        assertEquals(0.6, r.threshold(), 0);
        assertEquals(1.0, r.validation().orElseThrow().sensitivity(), 1e-12);
        assertEquals(0.5, r.test().orElseThrow().sensitivity(), 1e-12);
        assertEquals(0.5, r.test().orElseThrow().specificity(), 1e-12);
        assertEquals(0.5, r.test().orElseThrow().ppv(), 1e-12);
        // choosing on test would have flattered it: Youden on test gives J = 0.5 against 0.0 at the validation threshold
        OperatingPoint onTest = OperatingPoint.youden(TEST.labels(Finding.ATELECTASIS), TEST.probabilities(Finding.ATELECTASIS));
        assertEquals(0.65, onTest.threshold(), 0);
        assertEquals(0.5, onTest.youdenJ(), 1e-12);
        assertEquals(0.0, r.test().orElseThrow().youdenJ(), 1e-12);
        // calibration on test: mean predicted (0.65+0.62+0.5+0.1)/4 against the observed rate 2/4
        assertEquals(0.4675, r.meanPredictedTest(), 1e-12);
        assertEquals(0.5, r.testPrevalence(), 0);
        assertEquals(0.4, r.validationPrevalence(), 0);
    }

    @Test
    void noThresholdWhenValidationLabelsAreAllOneValue() {
        OperatingPointReport rep = report(50);
        OperatingPointReport.Row hernia = rep.get(Finding.HERNIA);
        assertTrue(hernia.validation().isEmpty());
        assertTrue(Double.isNaN(hernia.threshold()));
        assertFalse(hernia.sensitivityCi().defined());
        assertFalse(rep.thresholds().containsKey(Finding.HERNIA));
        assertEquals("no threshold: validation labels all 0",
                rep.table().stringColumn("Note").get(Finding.HERNIA.ordinal()));
    }

    @Test
    void prevalenceShiftIsFlaggedWithBothNumbers() {
        OperatingPointReport rep = report(0);
        // Mass 20 % vs 75 %; Hernia 0 % vs 25 %; Atelectasis 40 % vs 50 % (factor 1.25) and the i % 2 findings
        // 40 % vs 50 % are not.
        assertEquals(List.of(Finding.HERNIA, Finding.MASS), rep.shifted());
        String w = rep.warnings();
        assertTrue(w.startsWith("Warning: 2 finding(s) differ in prevalence between validation and test by a factor of 2"
                + " or more and by at least 2 percentage points."), w);
        assertTrue(w.contains("- Mass: 20.0 % of validation films, 75.0 % of test films"), w);
        assertTrue(w.contains("- Hernia: 0.0 % of validation films, 25.0 % of test films (no threshold"), w);
        OperatingPointReport none = OperatingPointAnalysis.builder().bootstrap(0).prevalenceShift(10, 50).build().analyse(VAL, TEST);
        assertEquals(List.of(), none.shifted()); // Mass x3.75 < 10; Hernia +25 points < 50
        assertEquals("No finding's prevalence differs between validation and test by a factor of 10 or more and by at"
                + " least 50 percentage points.", none.warnings());
    }

    @Test
    void bootstrapIntervalsOverTestPatients() {
        OperatingPointReport rep = report(400);
        OperatingPointReport.Row mass = rep.get(Finding.MASS);
        // Mass threshold on validation is 0.9: on test 0.95 and 0.92 are detected, 0.5 missed -> sensitivity 2/3,
        // and the only negative (0.1) is below -> specificity 1 in every replicate that has a negative.
        assertEquals(0.9, mass.threshold(), 0);
        assertEquals(2.0 / 3, mass.test().orElseThrow().sensitivity(), 1e-12);
        assertEquals(1.0, mass.specificityCi().low(), 0);
        assertEquals(1.0, mass.specificityCi().high(), 0);
        assertTrue(mass.specificityCi().replicatesUsed() < 400, "replicates without a negative are skipped");
        assertTrue(mass.sensitivityCi().low() <= 2.0 / 3 && mass.sensitivityCi().high() >= 2.0 / 3);
        assertTrue(mass.sensitivityCi().low() >= 0 && mass.sensitivityCi().high() <= 1);
        assertEquals(mass.sensitivityCi(), report(400).get(Finding.MASS).sensitivityCi(), "same seed, same interval");
    }

    @Test
    void rocAnalysisMarksTheValidationThreshold() {
        RocReport roc = RocAnalysis.builder().bootstrap(0).thresholds(OperatingPointAnalysis.thresholds(VAL)).build().analyse(TEST);
        assertEquals(0.6, roc.get(Finding.ATELECTASIS).operatingPoint().orElseThrow().threshold(), 0);
        assertTrue(roc.get(Finding.HERNIA).operatingPoint().isEmpty());
        RocReport youden = RocAnalysis.builder().bootstrap(0).build().analyse(TEST);
        assertEquals(0.65, youden.get(Finding.ATELECTASIS).operatingPoint().orElseThrow().threshold(), 0);
    }

    @Test
    void jsonSaysWhereThresholdsCameFrom() {
        Map<String, Object> m = report(20).toMap();
        assertEquals("validation", m.get("threshold_chosen_on"));
        @SuppressWarnings("unchecked")
        Map<String, Object> at = (Map<String, Object>) ((Map<String, Object>) m.get("findings")).get("Atelectasis");
        assertEquals(0.6, at.get("threshold"));
        assertEquals(0.5, at.get("sensitivity"));
        assertEquals(false, at.get("prevalence_shift"));
    }

    @Test
    void emptySplitsAreRefused() {
        Predictions empty = Predictions.of(List.of(), List.of(), new int[0][], new double[0][]);
        var e = assertThrows(IllegalArgumentException.class, () -> OperatingPointAnalysis.builder().build().analyse(empty, TEST));
        assertEquals("need validation and test predictions, got 0 validation and 4 test rows", e.getMessage());
    }
}
