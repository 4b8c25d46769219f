package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.random.MersenneTwister;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    /** 40 patients with 10 identical images each; Atelectasis scores are noisy, so AUC ≈ 0.75. */
    private static Predictions clustered() {
        Random r = new Random(5);
        List<String> patients = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            int label = p % 2;
            double score = Math.min(1, Math.max(0, 0.5 + 0.25 * (label - 0.5) * 2 * 0.6 + 0.25 * r.nextGaussian()));
            for (int k = 0; k < 10; k++) {
                patients.add(String.valueOf(p + 1));
                y.add(label);
                s.add(score);
            }
        }
        return TestPredictions.of(patients, Map.of(Finding.ATELECTASIS, y.stream().mapToInt(Integer::intValue).toArray()),
                Map.of(Finding.ATELECTASIS, s.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    @Test
    void sameSeedSameIntervalsOtherSeedOther() {
        Predictions p = clustered();
        Bootstrap.Result a = new Bootstrap(p, Resampling.PATIENT).run(200, 42, 0.95);
        Bootstrap.Result b = new Bootstrap(p, Resampling.PATIENT).run(200, 42, 0.95);
        Bootstrap.Result c = new Bootstrap(p, Resampling.PATIENT).run(200, 43, 0.95);
        assertEquals(a, b);
        assertNotEquals(a.perFinding().get(Finding.ATELECTASIS), c.perFinding().get(Finding.ATELECTASIS));
        Interval ci = a.perFinding().get(Finding.ATELECTASIS);
        double auc = Auc.auc(p.labels(Finding.ATELECTASIS), p.probabilities(Finding.ATELECTASIS));
        assertTrue(ci.low() < auc && auc < ci.high(), ci + " should contain " + auc);
        assertEquals(200, ci.replicatesUsed());
    }

    @Test
    void replicatesNeverSplitAPatient() {
        Predictions p = clustered();
        Bootstrap boot = new Bootstrap(p, Resampling.PATIENT);
        MersenneTwister rng = new MersenneTwister(1);
        for (int r = 0; r < 50; r++) {
            int[] w = boot.sampleWeights(rng);
            Map<String, Integer> weightOfPatient = new HashMap<>();
            int total = 0;
            for (int i = 0; i < w.length; i++) {
                Integer prev = weightOfPatient.putIfAbsent(p.patientId().get(i), w[i]);
                assertTrue(prev == null || prev == w[i], "patient " + p.patientId().get(i) + " split");
                total += w[i];
            }
            assertEquals(400, total);   // 40 patients drawn, 10 images each
        }
    }

    @Test
    void patientResamplingGivesWiderIntervalsThanImageResampling() {
        // Each patient's 10 images are copies: patient-level resampling sees 40 independent units,
        // image-level pretends there are 400, so its interval is about sqrt(10) ≈ 3.2 times narrower.
        Predictions p = clustered();
        Interval patient = new Bootstrap(p, Resampling.PATIENT).run(400, 42, 0.95).perFinding().get(Finding.ATELECTASIS);
        Interval image = new Bootstrap(p, Resampling.IMAGE).run(400, 42, 0.95).perFinding().get(Finding.ATELECTASIS);
        assertTrue(patient.width() > 2 * image.width(), "patient " + patient + " vs image " + image);
    }

    @Test
    void oneValuedReplicatesAreSkippedAndCounted() {
        // Only patient 1 has Cardiomegaly: replicates that miss patient 1 (≈ (1-1/5)^5 = 33%) are skipped.
        List<String> patients = List.of("1", "2", "3", "4", "5");
        Predictions p = TestPredictions.of(patients,
                Map.of(Finding.CARDIOMEGALY, new int[] {1, 0, 0, 0, 0}),
                Map.of(Finding.CARDIOMEGALY, new double[] {0.9, 0.1, 0.2, 0.3, 0.4}));
        Bootstrap.Result res = new Bootstrap(p, Resampling.PATIENT).run(300, 7, 0.95);
        Interval ci = res.perFinding().get(Finding.CARDIOMEGALY);
        assertTrue(ci.replicatesUsed() < 300 && ci.replicatesUsed() > 150, "used " + ci.replicatesUsed());
        assertEquals(1.0, ci.low(), 0);   // whenever defined, the single positive outranks all negatives
        assertEquals(1.0, ci.high(), 0);
        assertTrue(res.mean().replicatesUsed() <= ci.replicatesUsed());
    }

    @Test
    void percentilesAreNumpysLinearDefinition() {
        // numpy.percentile(range(1, 11), [2.5, 97.5]) -> [1.225, 9.775]
        double[] v = {10, 3, 5, 1, 2, 4, 6, 7, 9, 8, 99};
        Interval ci = Bootstrap.interval(v, 10, 0.95);   // the 11th value is beyond n and ignored
        assertEquals(1.225, ci.low(), 1e-12);
        assertEquals(9.775, ci.high(), 1e-12);
        assertEquals(10, ci.replicatesUsed());
    }

    @Test
    void undefinedOnTheSplitHasNoInterval() {
        Predictions p = TestPredictions.of(List.of("1", "2", "3", "4"),
                Map.of(Finding.HERNIA, new int[] {0, 0, 0, 0}), Map.of());
        Interval ci = new Bootstrap(p, Resampling.PATIENT).run(20, 1, 0.95).perFinding().get(Finding.HERNIA);
        assertFalse(ci.defined());
        assertEquals(0, ci.replicatesUsed());
    }
}
