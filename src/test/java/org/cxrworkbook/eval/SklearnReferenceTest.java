package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Values printed by scikit-learn 1.2.1 (Debian python3-sklearn) for 25 labels/scores with many ties:
 * {@code rng = np.random.default_rng(3); y = (rng.random(25) < 0.4).astype(int);
 * s = np.round(rng.random(25) * 0.8 + 0.2 * y, 1)}; {@code roc_auc_score(y, s)} and
 * {@code roc_curve(y, s, drop_intermediate=False)}.
 */
class SklearnReferenceTest {

    private static final int[] Y = {1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0};
    private static final double[] S = {0.7, 0.6, 0.6, 0.0, 0.8, 0.3, 0.1, 0.7, 0.7, 0.4, 0.7, 0.2, 0.6, 0.6, 0.2,
        0.7, 0.7, 0.5, 0.7, 0.5, 0.8, 0.7, 0.3, 0.9, 0.3};

    @Test
    void aucEqualsRocAucScore() {
        assertEquals(0.7532467532467533, Auc.auc(Y, S), 1e-9);
    }

    @Test
    void curveEqualsRocCurve() {
        RocCurve c = RocCurve.of(Y, S);
        assertArrayEquals(new double[] {0.0, 0.0, 0.0, 0.2857142857142857, 0.5, 0.5714285714285714,
            0.5714285714285714, 0.7142857142857143, 0.8571428571428571, 0.9285714285714286, 1.0}, c.fpr(), 1e-12);
        assertArrayEquals(new double[] {0.0, 0.09090909090909091, 0.2727272727272727, 0.6363636363636364,
            0.7272727272727273, 0.8181818181818182, 0.9090909090909091, 1.0, 1.0, 1.0, 1.0}, c.tpr(), 1e-12);
        // sklearn 1.2 puts max(score) + 1 = 1.9 first; sklearn >= 1.3 and we put +infinity there.
        assertEquals(Double.POSITIVE_INFINITY, c.thresholds()[0]);
        assertArrayEquals(new double[] {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0},
                Arrays.copyOfRange(c.thresholds(), 1, c.size()), 0);
        assertEquals(0.7532467532467533, c.trapezoidArea(), 1e-12);
    }
}
