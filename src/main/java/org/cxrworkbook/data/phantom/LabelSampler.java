package org.cxrworkbook.data.phantom;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.cxrworkbook.data.Finding;

/**
 * Draws the finding set of one image so that each finding's marginal prevalence matches a target and
 * findings co-occur as in NIH. An image is abnormal with probability 1 − noFinding; it then carries
 * 1 + Geometric findings (mean set so that the targets sum up), drawn without replacement with weights
 * multiplied by pairwise co-occurrence boosts. The base weights are calibrated once by Monte Carlo with
 * a fixed seed, so they depend only on the targets.
 */
final class LabelSampler {

    private static final int N = Finding.COUNT;
    private static final double[][] BOOST = boosts();

    private final double abnormal;
    private final double more;
    private final double[] weights = new double[N];

    LabelSampler(Map<Finding, Double> targets, double noFinding) {
        double sum = targets.values().stream().mapToDouble(Double::doubleValue).sum();
        double ab = 1 - noFinding;
        if (sum < ab) {
            ab = sum;
        }
        abnormal = ab;
        double meanCount = sum / ab;
        more = Math.min(0.9, 1 - 1 / meanCount);
        double[] target = new double[N];
        for (Finding f : Finding.values()) {
            target[f.ordinal()] = targets.get(f);
            weights[f.ordinal()] = target[f.ordinal()];
        }
        calibrate(target);
    }

    /** Probability that an image carries at least one finding. */
    double abnormal() {
        return abnormal;
    }

    /** One image's finding set (empty = No Finding). */
    Set<Finding> sample(SplittableRandom r) {
        if (r.nextDouble() >= abnormal) {
            return Set.of();
        }
        boolean[] chosen = new boolean[N];
        drawFindings(r, chosen);
        EnumSet<Finding> set = EnumSet.noneOf(Finding.class);
        for (int f = 0; f < N; f++) {
            if (chosen[f]) {
                set.add(Finding.values()[f]);
            }
        }
        return set;
    }

    private void drawFindings(SplittableRandom r, boolean[] chosen) {
        int count = 1;
        while (count < N && r.nextDouble() < more) {
            count++;
        }
        double[] w = weights.clone();
        for (int c = 0; c < count; c++) {
            double total = 0;
            for (int f = 0; f < N; f++) {
                total += chosen[f] ? 0 : w[f];
            }
            double x = r.nextDouble() * total;
            int pick = -1;
            for (int f = 0; f < N; f++) {
                if (!chosen[f]) {
                    pick = f;
                    x -= w[f];
                    if (x < 0) {
                        break;
                    }
                }
            }
            chosen[pick] = true;
            for (int f = 0; f < N; f++) {
                w[f] *= BOOST[pick][f];
            }
        }
    }

    /** Multiplicative fixed-point iteration on the weights with common random numbers (seed fixed). */
    private void calibrate(double[] target) {
        int samples = 40_000;
        for (int iter = 0; iter < 25; iter++) {
            SplittableRandom r = new SplittableRandom(20_170_101L);
            int[] counts = new int[N];
            boolean[] chosen = new boolean[N];
            for (int s = 0; s < samples; s++) {
                java.util.Arrays.fill(chosen, false);
                drawFindings(r, chosen);
                for (int f = 0; f < N; f++) {
                    if (chosen[f]) {
                        counts[f]++;
                    }
                }
            }
            for (int f = 0; f < N; f++) {
                double observed = abnormal * Math.max(counts[f], 0.5) / samples;
                weights[f] *= (target[f] / observed);
            }
        }
    }

    /** Pairwise co-occurrence boosts, shaped after NIH's most frequent pairs. */
    private static double[][] boosts() {
        double[][] b = new double[N][N];
        for (double[] row : b) {
            java.util.Arrays.fill(row, 1.0);
        }
        pair(b, Finding.EFFUSION, Finding.ATELECTASIS, 2.2);
        pair(b, Finding.EFFUSION, Finding.INFILTRATION, 1.6);
        pair(b, Finding.ATELECTASIS, Finding.INFILTRATION, 1.6);
        pair(b, Finding.EDEMA, Finding.EFFUSION, 2.0);
        pair(b, Finding.EDEMA, Finding.CARDIOMEGALY, 2.5);
        pair(b, Finding.CARDIOMEGALY, Finding.EFFUSION, 2.0);
        pair(b, Finding.EDEMA, Finding.INFILTRATION, 2.0);
        pair(b, Finding.PNEUMONIA, Finding.INFILTRATION, 2.5);
        pair(b, Finding.PNEUMONIA, Finding.CONSOLIDATION, 1.6);
        pair(b, Finding.CONSOLIDATION, Finding.EFFUSION, 1.6);
        pair(b, Finding.CONSOLIDATION, Finding.ATELECTASIS, 1.6);
        pair(b, Finding.MASS, Finding.NODULE, 2.5);
        pair(b, Finding.EMPHYSEMA, Finding.PNEUMOTHORAX, 3.0);
        pair(b, Finding.FIBROSIS, Finding.PLEURAL_THICKENING, 2.5);
        pair(b, Finding.EFFUSION, Finding.PLEURAL_THICKENING, 1.5);
        return b;
    }

    private static void pair(double[][] b, Finding x, Finding y, double factor) {
        b[x.ordinal()][y.ordinal()] = factor;
        b[y.ordinal()][x.ordinal()] = factor;
    }
}
