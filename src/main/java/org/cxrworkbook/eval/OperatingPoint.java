package org.cxrworkbook.eval;

/**
 * A decision threshold and what it gives on a split: predicted positive when score ≥ threshold;
 * sensitivity, specificity, PPV and NPV (NaN when their denominator is zero), Youden's J = sens + spec − 1.
 */
public record OperatingPoint(double threshold, int tp, int fp, int tn, int fn) {

    /** The threshold of the ROC curve (finite thresholds only) that maximises Youden's J; ties go to the higher threshold. */
    public static OperatingPoint youden(int[] labels, double[] scores) {
        RocCurve curve = RocCurve.of(labels, scores);
        int best = 1;
        for (int i = 2; i < curve.size(); i++) {
            if (curve.tpr()[i] - curve.fpr()[i] > curve.tpr()[best] - curve.fpr()[best]) {
                best = i;
            }
        }
        return at(labels, scores, curve.thresholds()[best]);
    }

    /** The confusion counts at a given threshold. */
    public static OperatingPoint at(int[] labels, double[] scores, double threshold) {
        Auc.check(labels, scores);
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new OperatingPoint(threshold, tp, fp, tn, fn);
    }

    /** TP / (TP + FN). */
    public double sensitivity() {
        return ratio(tp, tp + fn);
    }

    /** TN / (TN + FP). */
    public double specificity() {
        return ratio(tn, tn + fp);
    }

    /** Positive predictive value TP / (TP + FP). */
    public double ppv() {
        return ratio(tp, tp + fp);
    }

    /** Negative predictive value TN / (TN + FN). */
    public double npv() {
        return ratio(tn, tn + fn);
    }

    /** Youden's J = sensitivity + specificity − 1. */
    public double youdenJ() {
        return sensitivity() + specificity() - 1;
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
