package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DenseNetBenchmarkTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, DenseNetBenchmark.median(new double[] {3, 1, 2}));
        assertEquals(2.5, DenseNetBenchmark.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void peakRssIsReadFromProc() {
        long kb = DenseNetBenchmark.peakRssKb();
        // a JVM running JUnit holds at least 20 MiB resident; -1 only where /proc is absent
        assertTrue(kb > 20_000 || (kb == -1 && !new java.io.File("/proc/self/status").exists()), "VmHWM " + kb);
    }
}
