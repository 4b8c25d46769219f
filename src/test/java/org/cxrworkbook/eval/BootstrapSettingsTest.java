package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BootstrapSettingsTest {

    @Test
    void bothAnalysesRefuseTheSameBadOptionsWithTheSameWords() {
        for (Runnable bad : new Runnable[] {
                () -> RocAnalysis.builder().bootstrap(-1),
                () -> OperatingPointAnalysis.builder().bootstrap(-1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertEquals("bootstrap replicates must be >= 0, was -1", e.getMessage());
        }
        for (double level : new double[] {0, 1, Double.NaN, 95}) {
            for (Runnable bad : new Runnable[] {
                    () -> RocAnalysis.builder().level(level),
                    () -> OperatingPointAnalysis.builder().level(level)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
                assertTrue(e.getMessage().startsWith("level must be in (0,1), was "), e.getMessage());
            }
        }
    }

    @Test
    void withersChangeOneValueAndKeepTheOthers() {
        BootstrapSettings s = BootstrapSettings.DEFAULT.withReplicates(0).withSeed(7).withLevel(0.9);
        assertEquals(new BootstrapSettings(0, 7, 0.9), s);
        assertEquals(new BootstrapSettings(1000, 42, 0.95), BootstrapSettings.DEFAULT);
    }
}
