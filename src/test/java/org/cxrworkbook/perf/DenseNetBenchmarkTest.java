package org.cxrworkbook.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void unknownEngineIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseNetBenchmark.run("tensorflow", "train", 64, 2, 0, 1, 42));
        assertTrue(e.getMessage().contains("tensorflow") && e.getMessage().contains("samediff"), e.getMessage());
    }

    @Test
    void theEngineColumnComputesTheGraphsPredictions() {
        org.cxrworkbook.model.DenseNetConfig c = org.cxrworkbook.model.DenseNetConfig.densenet121().toBuilder()
                .inputSize(64).build();
        org.deeplearning4j.nn.graph.ComputationGraph g = org.cxrworkbook.model.DenseNet.build(c);
        org.nd4j.linalg.api.ndarray.INDArray x = DenseNetBenchmark.randomBatch(c, 2, 5)[0];
        org.nd4j.linalg.api.ndarray.INDArray want = g.output(false, x)[0];
        org.nd4j.linalg.api.ndarray.INDArray got = DenseNetBenchmark.enginePredictions(g, x);
        assertEquals(0, got.sub(want).amaxNumber().doubleValue(), 1e-5, "predictions " + got + " vs " + want);
        DenseNetBenchmark.Result train = DenseNetBenchmark.run("onednn", "train", 64, 2, 0, 1, 42);
        assertTrue(train.imagesPerSecond() > 0 && Double.isFinite(train.imagesPerSecond()), train.toJson());
    }

    @Test
    void jsonLineNamesImplAndEngine() {
        DenseNetBenchmark.Result r = new DenseNetBenchmark.Result("samediff", "train", 128, 8, 4.0, 2.0,
                new double[] {2.0}, 1024, 3.5);
        String json = r.toJson();
        assertTrue(json.startsWith("{\"impl\":\"dl4j\",\"engine\":\"samediff\",\"mode\":\"train\""), json);
        assertTrue(json.contains("\"images_per_s\":4.000") && json.contains("\"peak_rss_kb\":1024"), json);
    }
}
