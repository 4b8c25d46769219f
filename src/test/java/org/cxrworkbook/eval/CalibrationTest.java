package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void binsAndBrierByHand() {
        Calibration c = Calibration.of(new int[] {0, 1, 1, 0}, new double[] {0.05, 0.15, 0.95, 1.0}, 10);
        // Brier: (.05^2 + .85^2 + .05^2 + 1^2) / 4 = (.0025 + .7225 + .0025 + 1) / 4
        assertEquals(0.431875, c.brier(), 1e-12);
        assertEquals(10, c.bins().size());
        assertEquals(3, c.nonEmptyBins().size());
        Calibration.Bin first = c.bins().get(0);
        assertEquals(1, first.count());
        assertEquals(0.05, first.meanPredicted(), 1e-12);
        assertEquals(0.0, first.observedRate(), 1e-12);
        assertEquals(1.0, c.bins().get(1).observedRate(), 1e-12);
        Calibration.Bin last = c.bins().get(9);   // 1.0 falls in the last bin, not an 11th
        assertEquals(2, last.count());
        assertEquals(0.975, last.meanPredicted(), 1e-12);
        assertEquals(0.5, last.observedRate(), 1e-12);
        assertTrue(Double.isNaN(c.bins().get(5).meanPredicted()));
    }

    @Test
    void perfectProbabilitiesScoreZero() {
        assertEquals(0.0, Calibration.of(new int[] {0, 1}, new double[] {0, 1}, 5).brier(), 0);
    }

    @Test
    void rejectsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.of(new int[] {0}, new double[] {1.5}, 10));
    }
}
