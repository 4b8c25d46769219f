package org.cxrworkbook.eval;

import org.cxrworkbook.train.RankAuc;

/**
 * The evaluation package's name for the workbook's one AUC implementation, {@link RankAuc} (scikit-learn's
 * {@code roc_auc_score}: ties count one half; NaN when the labels are all one value). Nothing is computed here.
 */
public final class Auc {

    private Auc() {
    }

    /** AUC of scores against 0/1 labels; NaN when there are no positives or no negatives ({@link RankAuc#auc}). */
    public static double auc(int[] labels, double[] scores) {
        return RankAuc.auc(labels, scores);
    }

    /** Refuses labels other than 0/1, NaN scores and arrays of different length ({@link RankAuc#check}). */
    static void check(int[] labels, double[] scores) {
        RankAuc.check(labels, scores);
    }
}
