package org.cxrworkbook.perf;

import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrworkbook.model.engine.FrozenBase;
import org.cxrworkbook.model.engine.TrainingEngine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times DenseNet121 training or inference steps in this JVM (one configuration per JVM, so that the peak RSS
 * read from /proc/self/status belongs to that configuration), with the ComputationGraph ({@value #GRAPH}), the
 * SameDiff ({@value #SAMEDIFF}) representation or, for inference, the oneDNN engine ({@value #ONEDNN}). Run through
 * {@code cxr bench}.
 */
public final class DenseNetBenchmark {

    /** Engine name of the DL4J ComputationGraph ({@link DenseNet}). */
    public static final String GRAPH = "graph";
    /** Engine name of the SameDiff graph ({@link SameDiffDenseNet}). */
    public static final String SAMEDIFF = "samediff";
    /** Engine name of the frozen-base oneDNN engine ({@link FrozenBase}) plus the graph's head; inference only. */
    public static final String ONEDNN = "onednn";
    /** The engines {@link #run} accepts. */
    public static final List<String> ENGINES = List.of(GRAPH, SAMEDIFF, ONEDNN);

    /** One measurement: median and all per-iteration seconds, images/s and peak resident memory. */
    public record Result(String engine, String mode, int size, int batch, double imagesPerSecond, double medianSeconds,
                         double[] seconds, long peakRssKb, double firstIterationSeconds) {
        /** One-line JSON, as the bench command's worker prints it. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"impl\":\"dl4j\",\"engine\":\"%s\",\"mode\":\"%s\",\"size\":%d,"
                    + "\"batch\":%d,\"images_per_s\":%.3f,\"median_s\":%.4f,\"first_s\":%.2f,\"peak_rss_kb\":%d,"
                    + "\"seconds\":%s}",
                    engine, mode, size, batch, imagesPerSecond, medianSeconds, firstIterationSeconds, peakRssKb,
                    Arrays.toString(seconds));
        }
    }

    private DenseNetBenchmark() {
    }

    /** Measures {@code mode} with the ComputationGraph; see {@link #run(String, String, int, int, int, int, long)}. */
    public static Result run(String mode, int size, int batch, int warmup, int iterations, long seed) {
        return run(GRAPH, mode, size, batch, warmup, iterations, seed);
    }

    /**
     * Measures {@code mode} ("train" or "infer") at {@code size}² with {@code engine} ("graph" or "samediff"), the
     * given batch, warm-up and timed iterations.
     */
    public static Result run(String engine, String mode, int size, int batch, int warmup, int iterations, long seed) {
        if (!ENGINES.contains(engine)) {
            throw new IllegalArgumentException("engine must be one of " + ENGINES + ", got " + engine);
        }
        boolean train = mode.equals("train");
        if (!train && !mode.equals("infer")) {
            throw new IllegalArgumentException("mode must be train or infer, got " + mode);
        }
        DenseNetConfig config = DenseNetConfig.densenet121().toBuilder().inputSize(size).seed(seed).build();
        Step step = switch (engine) {
            case GRAPH -> graphStep(config, train);
            case ONEDNN -> train ? engineTrainStep(config) : engineStep(config);
            default -> sameDiffStep(config, train);
        };
        INDArray[] xy = randomBatch(config, batch, seed); // drawn after building: the same batch for both engines
        INDArray x = xy[0];
        INDArray y = xy[1];
        double first = 0;
        double[] seconds = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            long t0 = System.nanoTime();
            step.run(x, y);
            double s = (System.nanoTime() - t0) / 1e9;
            if (i == 0) {
                first = s;
            }
            if (i >= warmup) {
                seconds[i - warmup] = s;
            }
        }
        double median = median(seconds);
        return new Result(engine, mode, size, batch, batch / median, median, seconds, peakRssKb(), first);
    }

    /** Random images and multi-hot labels (about 30 % positives) of one batch for {@code config}, from {@code seed}. */
    static INDArray[] randomBatch(DenseNetConfig config, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, config.channels(), config.inputSize(), config.inputSize());
        INDArray y = Nd4j.rand(DataType.FLOAT, batch, config.classes()).gt(0.7).castTo(DataType.FLOAT);
        return new INDArray[] {x, y};
    }

    /** One timed unit of work: a training step or a forward pass whose result is forced. */
    interface Step {
        void run(INDArray x, INDArray y);
    }

    static Step graphStep(DenseNetConfig config, boolean train) {
        ComputationGraph graph = DenseNet.build(config);
        if (train) {
            return (x, y) -> graph.fit(new MultiDataSet(x, y));
        }
        return (x, y) -> graph.output(false, x)[0].sumNumber(); // force completion; output is detached from workspaces
    }

    /**
     * A training step as {@code graph.fit} takes it, with the base's forward and backward on the oneDNN training
     * engine ({@link TrainingEngine}) and the head, loss and updater DL4J's.
     */
    static Step engineTrainStep(DenseNetConfig config) {
        ComputationGraph graph = DenseNet.build(config);
        String path = TrainingEngine.path(graph);
        if (!path.equals(ONEDNN)) {
            throw new IllegalStateException("the training engine does not run here: " + path);
        }
        ComputationGraph stepper = TrainingEngine.forTraining(graph);
        return (x, y) -> stepper.fit(new MultiDataSet(x, y));
    }

    /**
     * The whole network's predictions as {@code graph.output} gives them, through the product's
     * {@link FrozenBase#predictions}: the base up to the pooled features on the oneDNN engine, then the graph's own
     * head on those features.
     */
    static Step engineStep(DenseNetConfig config) {
        ComputationGraph graph = DenseNet.build(config);
        return (x, y) -> enginePredictions(graph, x).sumNumber();
    }

    /** {@code graph.output(false, x)[0]} with the base up to the pooled features on the oneDNN engine. */
    static INDArray enginePredictions(ComputationGraph graph, INDArray x) {
        String path = FrozenBase.predictionsPath(graph, x);
        if (!path.equals(ONEDNN)) {
            throw new IllegalStateException("the engine does not run here: " + path);
        }
        return FrozenBase.predictions(graph, x);
    }

    private static Step sameDiffStep(DenseNetConfig config, boolean train) {
        if (train) {
            SameDiff sd = SameDiffDenseNet.forTraining(config);
            return (x, y) -> sd.fit(new DataSet(x, y));
        }
        SameDiff sd = SameDiffDenseNet.build(config, SameDiffDenseNet.BatchNormMode.INFERENCE);
        return (x, y) -> sd.output(Map.of(SameDiffDenseNet.INPUT, x), SameDiffDenseNet.HEAD)
                .get(SameDiffDenseNet.HEAD).sumNumber();
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** VmHWM (peak resident set) of this process in KiB, or -1 where /proc is absent. */
    public static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Worker entry: {@code mode size batch warmup iterations seed [engine]} (engine default "graph"); prints one JSON
     * line prefixed "RESULT ".
     */
    public static void main(String[] args) {
        String engine = args.length > 6 ? args[6] : GRAPH;
        Result r = run(engine, args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]));
        System.out.println("RESULT " + r.toJson());
        System.exit(0);
    }
}
