package org.cxrworkbook.perf;

import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.OneDnnHelpers;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

/**
 * Where a DenseNet121 training step spends its time: ND4J's op profiler over a few {@code fit} steps after warm-up
 * (time per native op: conv2d, conv2d_bp, relu_bp, assign, …). Time outside native ops — the Java side of layers,
 * including the two-pass BatchNorm, and the framework — is the step time minus the op total.
 * Run: {@code java -cp "target/classes:target/lib/*" -Dorg.eclipse.deeplearning4j.helpers.disable=false
 * org.cxrworkbook.perf.DenseNetProfile SIZE BATCH WARMUP STEPS}.
 */
public final class DenseNetProfile {

    private DenseNetProfile() {
    }

    /** Profiles {@code steps} training steps of DenseNet121 at {@code size}²; prints step time and ND4J's dashboard. */
    public static void run(int size, int batch, int warmup, int steps, long seed) {
        DenseNetConfig config = DenseNetConfig.densenet121().toBuilder().inputSize(size).seed(seed).build();
        DenseNetBenchmark.Step step = DenseNetBenchmark.graphStep(config, true);
        INDArray[] xy = DenseNetBenchmark.randomBatch(config, batch, seed);
        for (int i = 0; i < warmup; i++) {
            step.run(xy[0], xy[1]);
        }
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.ALL);
        OpProfiler.getInstance().reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run(xy[0], xy[1]);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        System.out.printf(Locale.ROOT, "DenseNet121 %d², batch %d: %d steps in %.0f ms (%.0f ms per step, with profiling on)%n",
                size, batch, steps, ms, ms / steps);
        OpProfiler.getInstance().printOutDashboard();
    }

    /** Entry point: {@code size batch warmup steps}. */
    public static void main(String[] args) {
        OneDnnHelpers.enable();
        run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), 42);
        System.exit(0);
    }
}
