package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cxrworkbook.model.TwoPassBatchNorm;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a single-input, single-output {@link ComputationGraph} epoch by epoch: Adam, validation loss and
 * mean AUC per epoch, reduce-on-plateau and early stopping on validation AUC, best-model keeping, an
 * atomic checkpoint each epoch and {@link #resume} from the last complete one with the same data order.
 *
 * <p>Data order: the trainer calls {@code train.reset()} before every epoch, so an iterator that
 * shuffles with a seed per reset (as {@code CxrDataSetIterator} does) sees epoch {@code e} as its
 * {@code e}-th reset; on resume the trainer replays the resets of the completed epochs first.
 *
 * <p>With {@link TrainerConfig#workers()} above 1 each epoch's batches go through DL4J's {@link ParallelWrapper}
 * (data parallelism over the devices ND4J sees, parameters and Adam state averaged every
 * {@link TrainerConfig#averagingFrequency()} batches); validation, plateau, early stopping and checkpoints stay
 * as in the single-model loop. The epoch's training loss is then the wrapper's last averaged score, and a
 * non-finite loss is detected after the epoch, not per batch.
 */
public final class Trainer {

    private Trainer() {
    }

    /** A trained (or resumed) network with its history. */
    public record TrainingRun(ComputationGraph graph, TrainingHistory history) {
    }

    /**
     * Trains {@code graph} in place from scratch (epoch 1) and returns its history. {@code val} may be null
     * (then no AUC, plateau or early stopping). With {@link TrainerConfig#restoreBest()} the graph ends with
     * the parameters of its best validation epoch.
     */
    public static TrainingHistory fit(ComputationGraph graph, DataSetIterator train, DataSetIterator val,
                                      TrainerConfig config) {
        if (config.useAdam()) {
            Optimizers.useAdam(graph, config.learningRate(), config.beta1(), config.beta2());
        }
        CheckpointState start = new CheckpointState(0, new TrainingHistory(List.of(), ""), config.learningRate(),
                Double.NaN, 0, 0, 0, new long[0], -1, config.toMap(),
                CheckpointStore.provenance(config.dataFiles()), null, null);
        return run(graph, train, val, config, start, null);
    }

    /**
     * Continues the run whose checkpoints are in {@code config.checkpointDir()} from its last complete
     * checkpoint (a damaged newer one is skipped with a warning), up to {@code config.epochs()} epochs in
     * total, with the checkpoint's learning rate, Adam state and plateau counters.
     */
    public static TrainingRun resume(DataSetIterator train, DataSetIterator val, TrainerConfig config) {
        Path dir = config.checkpointDir().orElseThrow(
                () -> new IllegalArgumentException("resume needs a checkpointDir in the TrainerConfig"));
        CheckpointStore.Checkpoint cp = new CheckpointStore(dir).latest().orElseThrow(
                () -> new TrainingException("nothing to resume: no checkpoint in " + dir));
        return resume(cp, train, val, config);
    }

    /**
     * Continues from an already loaded checkpoint (see {@link CheckpointStore#latest()}): useful when the
     * iterators must be built knowing {@code cp.state().epochsCompleted()} (an iterator that numbers its
     * epochs itself starts there; the trainer's replayed resets do not advance an iterator that has not
     * served a batch).
     */
    public static TrainingRun resume(CheckpointStore.Checkpoint cp, DataSetIterator train, DataSetIterator val,
                                     TrainerConfig config) {
        INDArray bestParams = null;
        if (config.restoreBest() && cp.state().bestEpoch() > 0 && config.checkpointDir().isPresent()) {
            try {
                bestParams = new CheckpointStore(config.checkpointDir().get()).best()
                        .map(b -> b.graph().params().dup()).orElse(null);
            } catch (TrainingException e) {
                System.err.println("WARNING: best model not restored: " + e.getMessage());
            }
        }
        System.err.printf("resuming from %s (%d epochs completed)%n", cp.file(), cp.state().epochsCompleted());
        TrainingHistory h = run(cp.graph(), train, val, config, cp.state(), bestParams);
        return new TrainingRun(cp.graph(), h);
    }

    private static TrainingHistory run(ComputationGraph graph, DataSetIterator train, DataSetIterator val,
                                       TrainerConfig config, CheckpointState start, INDArray bestParamsAtStart) {
        if (train == null) {
            throw new TrainingException("no training data: the training iterator is null");
        }
        TwoPassBatchNorm.install(graph); // also on graphs restored from a checkpoint or file
        CheckpointStore store = config.checkpointDir().map(CheckpointStore::new).orElse(null);
        List<EpochResult> epochs = new ArrayList<>(start.history().epochs());
        double lr = start.nextLearningRate();
        double bestAuc = start.bestAuc();
        int bestEpoch = start.bestEpoch();
        int sinceImprovement = start.epochsSinceImprovement();
        int sinceReduce = start.epochsSinceReduce();
        long[] inputShape = start.inputShape();
        long labelWidth = start.labelWidth();
        INDArray bestParams = bestParamsAtStart;
        String stopReason = "completed " + config.epochs() + " epochs";
        for (int i = 0; i < start.epochsCompleted() && train.resetSupported(); i++) {
            train.reset(); // replay the shuffles of the completed epochs
        }
        Parallel parallel = config.workers() > 1 ? new Parallel(graph, config) : null;
        try {
            for (int epoch = start.epochsCompleted() + 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                graph.setLearningRate(lr);
                Nd4j.getRandom().setSeed(config.seed() + epoch);
                if (train.resetSupported()) {
                    train.reset();
                }
                int total = config.maxBatchesPerEpoch() > 0 ? config.maxBatchesPerEpoch() : -1;
                ProgressBar bar = config.progress()
                        ? new ProgressBar(System.err, String.format("epoch %d/%d", epoch, config.epochs()), Math.max(total, 0))
                        : null;
                double lossSum = 0;
                long images = 0;
                int batches = 0;
                if (parallel != null) {
                    DataSetIterator epochData = total > 0 ? new EarlyTerminationDataSetIterator(train, total) : train;
                    var first = epochData.hasNext() ? epochData.next() : null;
                    if (first != null) {
                        if (epoch == start.epochsCompleted() + 1) {
                            inputShape = checkFirstBatch(graph, first, inputShape, epoch);
                            labelWidth = first.getLabels().size(1);
                        }
                        EpochFeed feed = new EpochFeed(first, epochData);
                        parallel.fit(feed, lr);
                        batches = feed.batches();
                        images = feed.images();
                        double loss = graph.score(); // the last averaged score of the workers
                        if (!Double.isFinite(loss)) {
                            if (bar != null) {
                                bar.finish("");
                            }
                            throw new TrainingException(String.format("training loss became %s at epoch %d "
                                    + "(%d workers, learning rate %.3g): the model diverged; lower the learning rate, "
                                    + "or check the data for NaN/Inf pixels or labels",
                                    Double.isNaN(loss) ? "NaN" : "infinite", epoch, config.workers(), lr));
                        }
                        lossSum = loss * images;
                        if (bar != null) {
                            bar.update(batches, images, loss);
                        }
                    }
                } else {
                    while (train.hasNext() && (total < 0 || batches < total)) {
                        DataSet ds = train.next();
                        if (batches == 0 && epoch == start.epochsCompleted() + 1) {
                            inputShape = checkFirstBatch(graph, ds, inputShape, epoch);
                            labelWidth = ds.getLabels().size(1);
                        }
                        graph.fit(ds);
                        double loss = graph.score();
                        batches++;
                        if (!Double.isFinite(loss)) {
                            if (bar != null) {
                                bar.finish("");
                            }
                            throw new TrainingException(String.format("training loss became %s at epoch %d, batch %d "
                                    + "(learning rate %.3g): the model diverged; lower the learning rate, or check the "
                                    + "batch for NaN/Inf pixels or labels", Double.isNaN(loss) ? "NaN" : "infinite",
                                    epoch, batches, lr));
                        }
                        long n = ds.getFeatures().size(0);
                        lossSum += loss * n;
                        images += n;
                        if (bar != null) {
                            bar.update(batches, images, lossSum / images);
                        }
                    }
                }
                if (batches == 0) {
                    throw new TrainingException("the training data is empty: the iterator gave no batch in epoch "
                            + epoch + " (check the training split and the image folder)");
                }
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                ValidationResult v = val == null ? null : Validation.evaluate(graph, val, config.maxValidationBatches());
                double valLoss = v == null ? Double.NaN : v.loss();
                double valAuc = v == null ? Double.NaN : v.meanAuc();
                String note = "";
                boolean improved = false;
                if (Double.isFinite(valAuc)) {
                    if (!(valAuc <= bestAuc)) { // true also when bestAuc is NaN
                        improved = true;
                        bestAuc = valAuc;
                        bestEpoch = epoch;
                        sinceImprovement = 0;
                        sinceReduce = 0;
                        if (config.restoreBest()) {
                            bestParams = graph.params().dup();
                        }
                    } else {
                        sinceImprovement++;
                        sinceReduce++;
                    }
                }
                double usedLr = lr;
                if (config.reduceLrPatience() > 0 && sinceReduce >= config.reduceLrPatience()) {
                    double next = Math.max(lr * config.reduceLrFactor(), config.minLearningRate());
                    if (next < lr) {
                        note = String.format("no better val AUC for %d epoch(s): learning rate %.2e -> %.2e",
                                sinceReduce, lr, next);
                        lr = next;
                    }
                    sinceReduce = 0;
                }
                EpochResult result = new EpochResult(epoch, lossSum / images, valLoss, valAuc, usedLr,
                        images / trainSeconds, (System.nanoTime() - t0) / 1e9, batches);
                epochs.add(result);
                boolean stop = config.earlyStoppingPatience() > 0 && sinceImprovement >= config.earlyStoppingPatience();
                if (stop) {
                    stopReason = String.format("early stopping after epoch %d: no better val AUC for %d epochs (best %.4f at epoch %d)",
                            epoch, sinceImprovement, bestAuc, bestEpoch);
                }
                if (bar != null) {
                    bar.finish(String.format("val loss %.4f  val AUC %.4f%s%s", valLoss, valAuc, improved ? " *" : "",
                            note.isEmpty() ? "" : "\n" + note));
                }
                if (store != null) {
                    CheckpointState state = new CheckpointState(epoch, new TrainingHistory(epochs, stopReason), lr,
                            bestAuc, bestEpoch, sinceImprovement, sinceReduce, inputShape, labelWidth, config.toMap(),
                            start.dataFiles(), null, null);
                    store.save(graph, state, config.keepCheckpoints());
                    if (improved) {
                        store.saveBest(graph, state);
                    }
                    state.history().save(store.dir().resolve("history.json"));
                }
                if (stop) {
                    break;
                }
            }
        } finally {
            if (parallel != null) {
                parallel.shutdown();
            }
        }
        if (config.restoreBest() && bestParams != null) {
            graph.setParams(bestParams);
        }
        if (epochs.size() == start.epochsCompleted() && start.epochsCompleted() >= config.epochs()) {
            stopReason = "already trained " + start.epochsCompleted() + " of " + config.epochs() + " epochs";
        }
        return new TrainingHistory(epochs, stopReason);
    }

    /** Checks the first batch of a run against the checkpoint's image shape and the graph's outputs; returns its shape. */
    private static long[] checkFirstBatch(ComputationGraph graph, DataSet ds, long[] inputShape, int epoch) {
        long[] shape = Shapes.perImageShape(ds.getFeatures());
        if (inputShape.length > 0 && !Arrays.equals(shape, inputShape)) {
            throw new TrainingException("the checkpoint was trained on images of shape "
                    + Arrays.toString(inputShape) + " (channels, height, width) but the data gives "
                    + Arrays.toString(shape) + ": use the same IMAGE_SIZE/channels or start a new run");
        }
        Shapes.checkLabels(graph, ds.getLabels(), "training batch 1 of epoch " + epoch);
        return shape;
    }

    /**
     * The {@link ParallelWrapper} of one fit. Its worker replicas copy the graph (and its learning rate) when
     * they are created, so a plateau's lower learning rate means a new wrapper; otherwise one serves all epochs.
     */
    private static final class Parallel {
        private final ComputationGraph graph;
        private final TrainerConfig config;
        private ParallelWrapper wrapper;
        private double wrapperLr = Double.NaN;

        Parallel(ComputationGraph graph, TrainerConfig config) {
            this.graph = graph;
            this.config = config;
        }

        void fit(DataSetIterator epochData, double lr) {
            if (wrapper == null || lr != wrapperLr) {
                shutdown();
                wrapper = new ParallelWrapper.Builder<>(graph).workers(config.workers()).prefetchBuffer(2)
                        .averagingFrequency(config.averagingFrequency()).reportScoreAfterAveraging(true).build();
                wrapperLr = lr;
            }
            wrapper.fit(epochData);
        }

        void shutdown() {
            if (wrapper != null) {
                wrapper.shutdown();
                wrapper = null;
            }
        }
    }
}
