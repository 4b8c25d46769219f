package org.cxrworkbook.train;

import java.util.Arrays;

/**
 * The workbook's one AUC implementation (validation during training here, every evaluation through
 * {@code eval.Auc}): area under the ROC curve as scikit-learn's {@code roc_auc_score}, the Mann–Whitney U statistic
 * with ties counted one half, divided by n_pos·n_neg; NaN (undefined) when the labels are all one value.
 *
 * <p>Hand-written rather than DL4J's {@code ROCBinary}, whose exact mode in M2.1 counts a positive tied with a
 * negative as a full win instead of one half (see {@code ValidationTest}; saturated sigmoid outputs make such ties
 * common). One pass over the tie groups of the rows sorted by score serves both the plain AUC and a bootstrap
 * replicate ({@link #weightedAuc}: row {@code i} counted {@code weights[i]} times), so the rows are sorted once
 * and each of the thousand replicates costs O(n) instead of a re-ranking.
 */
public final class RankAuc {

    private RankAuc() {
    }

    /** AUC of scores against 0/1 labels; NaN when there are no positives or no negatives. */
    public static double auc(int[] labels, double[] scores) {
        SortedScores sorted = SortedScores.of(labels, scores);
        int[] ones = new int[labels.length];
        Arrays.fill(ones, 1);
        return weightedAuc(sorted, ones);
    }

    /** AUC of {@code scores} for binary {@code labels} (positive when > 0.5); NaN if either class is absent. */
    public static double auc(double[] labels, double[] scores) {
        return auc(Arrays.stream(labels).mapToInt(y -> y > 0.5 ? 1 : 0).toArray(), scores);
    }

    /**
     * The AUC of a sample in which row {@code i} occurs {@code weights[i]} times (a bootstrap replicate), from rows
     * pre-sorted by score: each positive counts the negatives scored below it plus half of those tied with it.
     */
    public static double weightedAuc(SortedScores sorted, int[] weights) {
        int[] order = sorted.order();
        double[] s = sorted.sortedScores();
        int[] y = sorted.sortedLabels();
        double negBelow = 0;
        double totalPos = 0;
        double pairs = 0;
        int i = 0;
        while (i < order.length) {
            double groupPos = 0;
            double groupNeg = 0;
            int j = i;
            double score = s[i];
            while (j < order.length && s[j] == score) {
                int w = weights[order[j]];
                if (y[j] == 1) {
                    groupPos += w;
                } else {
                    groupNeg += w;
                }
                j++;
            }
            pairs += groupPos * (negBelow + 0.5 * groupNeg);
            negBelow += groupNeg;
            totalPos += groupPos;
            i = j;
        }
        if (totalPos == 0 || negBelow == 0) {
            return Double.NaN;
        }
        return pairs / (totalPos * negBelow);
    }

    /**
     * Rows of one finding sorted by score ascending, computed once for many replicates: {@code order[k]} is
     * the row at sorted position k, {@code sortedScores}/{@code sortedLabels} are contiguous for speed.
     */
    public record SortedScores(int[] sortedLabels, double[] sortedScores, int[] order) {

        /** Sorts the rows of one finding by score. */
        public static SortedScores of(int[] labels, double[] scores) {
            check(labels, scores);
            Integer[] idx = new Integer[scores.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
            int[] order = Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
            int[] sortedLabels = new int[order.length];
            double[] sortedScores = new double[order.length];
            for (int k = 0; k < order.length; k++) {
                sortedLabels[k] = labels[order[k]];
                sortedScores[k] = scores[order[k]];
            }
            return new SortedScores(sortedLabels, sortedScores, order);
        }
    }

    /** Refuses labels other than 0/1, NaN scores and arrays of different length, naming the row. */
    public static void check(int[] labels, double[] scores) {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + scores.length + " scores");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", expected 0 or 1");
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
        }
    }
}
