package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OperatingPointTest {

    // positives 0.9 0.8 0.4 0.3, negatives 0.7 0.2 0.1 0.05.
    // J by threshold: .9 .25, .8 .5, .7 .25, .4 .5, .3 .75, .2 .5, .1 .25, .05 0 -> best 0.3
    private static final int[] Y = {1, 1, 1, 1, 0, 0, 0, 0};
    private static final double[] S = {0.9, 0.8, 0.4, 0.3, 0.7, 0.2, 0.1, 0.05};

    @Test
    void youdenPicksTheHandComputedThreshold() {
        OperatingPoint o = OperatingPoint.youden(Y, S);
        assertEquals(0.3, o.threshold());
        assertEquals(4, o.tp());
        assertEquals(1, o.fp());
        assertEquals(3, o.tn());
        assertEquals(0, o.fn());
        assertEquals(1.0, o.sensitivity(), 1e-12);
        assertEquals(0.75, o.specificity(), 1e-12);
        assertEquals(0.8, o.ppv(), 1e-12);
        assertEquals(1.0, o.npv(), 1e-12);
        assertEquals(0.75, o.youdenJ(), 1e-12);
    }

    @Test
    void countsAtAThreshold() {
        OperatingPoint o = OperatingPoint.at(Y, S, 0.75);
        // predicted positive: 0.9, 0.8 -> tp 2, fp 0, fn 2, tn 4
        assertEquals(1.0, o.ppv(), 1e-12);
        assertEquals(0.5, o.sensitivity(), 1e-12);
        assertEquals(4.0 / 6, o.npv(), 1e-12);
        assertEquals(1.0, o.specificity(), 1e-12);
    }

    @Test
    void noPredictedPositivesGivesUndefinedPpv() {
        OperatingPoint o = OperatingPoint.at(Y, S, 2.0);
        assertTrue(Double.isNaN(o.ppv()));
        assertEquals(0.0, o.sensitivity());
    }
}
