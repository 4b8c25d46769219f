package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Reliability of predicted probabilities: equal-width bins over [0,1] (the last bin includes 1) with the
 * mean predicted probability and the observed positive rate of the images in each, and the Brier score
 * (mean squared difference between probability and 0/1 label).
 */
public record Calibration(List<Bin> bins, double brier, int n) {

    /** One probability bin; {@code meanPredicted} and {@code observedRate} are NaN for an empty bin. */
    public record Bin(double lower, double upper, int count, double meanPredicted, double observedRate) {
    }

    /** Calibration of probabilities against 0/1 labels with {@code binCount} equal-width bins. */
    public static Calibration of(int[] labels, double[] probabilities, int binCount) {
        Auc.check(labels, probabilities);
        if (binCount < 1) {
            throw new IllegalArgumentException("binCount must be >= 1, was " + binCount);
        }
        int[] count = new int[binCount];
        double[] sumP = new double[binCount];
        double[] sumY = new double[binCount];
        double sq = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = probabilities[i];
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("probability " + i + " is " + p + ", outside [0,1]");
            }
            int b = Math.min(binCount - 1, (int) Math.floor(p * binCount));
            count[b]++;
            sumP[b] += p;
            sumY[b] += labels[i];
            sq += (p - labels[i]) * (p - labels[i]);
        }
        List<Bin> bins = new ArrayList<>();
        for (int b = 0; b < binCount; b++) {
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, count[b],
                    count[b] == 0 ? Double.NaN : sumP[b] / count[b], count[b] == 0 ? Double.NaN : sumY[b] / count[b]));
        }
        return new Calibration(List.copyOf(bins), labels.length == 0 ? Double.NaN : sq / labels.length, labels.length);
    }

    /** The non-empty bins only (what a calibration plot draws). */
    public List<Bin> nonEmptyBins() {
        return bins.stream().filter(b -> b.count() > 0).toList();
    }
}
