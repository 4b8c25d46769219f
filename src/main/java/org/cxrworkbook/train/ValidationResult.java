package org.cxrworkbook.train;

/**
 * Loss and ranking quality on held-out data: mean loss per image, AUC per output column (NaN where
 * the column has only one class) and their mean over the columns that have both classes.
 */
public record ValidationResult(double loss, double[] aucs, double meanAuc, int images) {

    /** Number of output columns whose AUC is defined (both classes present). */
    public long definedAucs() {
        return java.util.Arrays.stream(aucs).filter(Double::isFinite).count();
    }
}
