package org.cxrworkbook.train;

import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Area under the ROC curve as the Mann–Whitney statistic with mid-ranks for ties
 * (AUC = (R₁ − n₁(n₁+1)/2) / (n₁·n₀)). Hand-written on top of commons-math's ranking because DL4J
 * M2.1's exact-mode {@code ROCBinary} counts a positive tied with a negative as a full win instead of
 * one half (see {@code ValidationTest}); saturated sigmoid outputs make such ties common.
 */
public final class RankAuc {

    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private RankAuc() {
    }

    /** AUC of {@code scores} for binary {@code labels} (positive when > 0.5); NaN if either class is absent. */
    public static double auc(double[] labels, double[] scores) {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + scores.length + " scores");
        }
        long positives = java.util.Arrays.stream(labels).filter(y -> y > 0.5).count();
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] ranks = RANKING.rank(scores);
        double rankSum = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0.5) {
                rankSum += ranks[i];
            }
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
