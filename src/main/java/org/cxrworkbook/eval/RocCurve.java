package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cxrworkbook.train.RankAuc;

/**
 * ROC curve points as scikit-learn's {@code roc_curve(..., drop_intermediate=False)}: one point per
 * distinct score, thresholds descending, preceded by (0, 0) at threshold +∞; an image counts as
 * positive when its score ≥ threshold.
 */
public record RocCurve(double[] thresholds, double[] fpr, double[] tpr, int nPos, int nNeg) {

    /** The curve of scores against 0/1 labels; both classes must be present. */
    public static RocCurve of(int[] labels, double[] scores) {
        Auc.check(labels, scores);
        int nPos = (int) Arrays.stream(labels).filter(y -> y == 1).count();
        int nNeg = labels.length - nPos;
        if (nPos == 0 || nNeg == 0) {
            throw new IllegalArgumentException("ROC curve undefined: labels are all " + (nPos == 0 ? 0 : 1));
        }
        RankAuc.SortedScores sorted = RankAuc.SortedScores.of(labels, scores);
        int[] order = sorted.order();
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {Double.POSITIVE_INFINITY, 0, 0});
        int tp = 0;
        int fp = 0;
        int i = order.length - 1;
        while (i >= 0) {
            double t = scores[order[i]];
            while (i >= 0 && scores[order[i]] == t) {
                if (labels[order[i]] == 1) {
                    tp++;
                } else {
                    fp++;
                }
                i--;
            }
            points.add(new double[] {t, (double) fp / nNeg, (double) tp / nPos});
        }
        return new RocCurve(column(points, 0), column(points, 1), column(points, 2), nPos, nNeg);
    }

    /** Number of points. */
    public int size() {
        return thresholds.length;
    }

    /** Area under these points by the trapezoidal rule (equals {@link Auc#auc}). */
    public double trapezoidArea() {
        double a = 0;
        for (int i = 1; i < fpr.length; i++) {
            a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }
        return a;
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }
}
