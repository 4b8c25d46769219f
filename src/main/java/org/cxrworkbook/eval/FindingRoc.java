package org.cxrworkbook.eval;

import java.util.Optional;
import org.cxrworkbook.data.Finding;

/**
 * ROC results of one finding: counts, AUC with bootstrap interval, curve, Youden operating point and
 * calibration. When the split's labels are all one value the AUC is NaN ("n/a") and curve and operating
 * point are empty; the finding keeps its own name either way.
 */
public record FindingRoc(Finding finding, int nPos, int nNeg, double auc, Interval ci,
                         Optional<RocCurve> curve, Optional<OperatingPoint> operatingPoint, Calibration calibration) {

    /** True when both classes occur, i.e. the AUC is a number. */
    public boolean defined() {
        return !Double.isNaN(auc);
    }
}
