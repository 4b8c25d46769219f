package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RocCurveTest {

    @Test
    void pointsOfTheClassicExample() {
        // sklearn roc_curve([0,0,1,1],[.1,.4,.35,.8], drop_intermediate=False), threshold inf first (sklearn >= 1.3)
        RocCurve c = RocCurve.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, c.thresholds());
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, c.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, c.tpr(), 1e-12);
        assertEquals(0.75, c.trapezoidArea(), 1e-12);
    }

    @Test
    void tiedScoresGiveOnePoint() {
        RocCurve c = RocCurve.of(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9});
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.5, 0.2}, c.thresholds());
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, c.fpr(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 1, 1}, c.tpr(), 1e-12);
        assertEquals(0.875, c.trapezoidArea(), 1e-12);
        assertEquals(2, c.nPos());
        assertEquals(2, c.nNeg());
    }

    @Test
    void oneValuedLabelsHaveNoCurve() {
        assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new int[] {1, 1}, new double[] {0.2, 0.3}));
    }
}
