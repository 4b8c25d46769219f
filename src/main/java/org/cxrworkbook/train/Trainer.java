package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.model.TwoPassBatchNorm;
import org.cxrworkbook.model.engine.TrainingEngine;
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
        return run(graph, train, val, config, Progress.fresh(config), CheckpointStore.provenance(config.dataFiles()));
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
        TrainingHistory h = run(cp.graph(), train, val, config, Progress.of(cp.state(), bestParams),
                cp.state().dataFiles());
        return new TrainingRun(cp.graph(), h);
    }

    /** The epoch loop: fit, validate, plateau policy, checkpoint — until the budget or the patience runs out. */
    private static TrainingHistory run(ComputationGraph graph, DataSetIterator train, DataSetIterator val,
                                       TrainerConfig config, Progress progress, List<Map<String, Object>> dataFiles) {
        if (train == null) {
            throw new TrainingException("no training data: the training iterator is null");
        }
        TwoPassBatchNorm.install(graph); // also on graphs restored from a checkpoint or file
        CheckpointStore store = config.checkpointDir().map(CheckpointStore::new).orElse(null);
        int completedBefore = progress.epochsCompleted;
        for (int i = 0; i < completedBefore && train.resetSupported(); i++) {
            train.reset(); // replay the shuffles of the completed epochs
        }
        Parallel parallel = config.workers() > 1 ? new Parallel(graph, config) : null;
        // the steps go through the oneDNN training engine where it applies: a view sharing graph's parameters,
        // gradients and updater, so each step is graph's own (graph itself otherwise)
        ComputationGraph stepper = parallel == null ? TrainingEngine.forTraining(graph) : graph;
        if (stepper != graph) {
            TwoPassBatchNorm.install(stepper); // for a batch the engine hands back to DL4J's step
        }
        try {
            for (int epoch = completedBefore + 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                ProgressBar bar = config.progress() ? new ProgressBar(System.err, String.format("epoch %d/%d", epoch,
                        config.epochs()), Math.max(config.maxBatchesPerEpoch(), 0)) : null;
                EpochFit fit = fitEpoch(graph, stepper, train, config, parallel, progress, epoch,
                        epoch == completedBefore + 1, bar);
                ValidationResult v = val == null ? null : Validation.evaluate(graph, val, config.maxValidationBatches());
                double valLoss = v == null ? Double.NaN : v.loss();
                double valAuc = v == null ? Double.NaN : v.meanAuc();
                double usedLr = progress.learningRate;
                boolean improved = progress.plateau.observe(epoch, valAuc, graph, config.restoreBest());
                String note = progress.reduceOnPlateau(config);
                progress.epochs.add(new EpochResult(epoch, fit.lossSum() / fit.images(), valLoss, valAuc, usedLr,
                        fit.images() / fit.seconds(), (System.nanoTime() - t0) / 1e9, fit.batches()));
                progress.epochsCompleted = epoch;
                boolean stop = progress.plateau.patienceExhausted(config);
                // a checkpoint's history written before the last epoch says so (a run stopped by hand keeps that line)
                progress.stopReason = stop ? progress.plateau.earlyStopReason(epoch) : epoch < config.epochs()
                        ? "running: " + epoch + " of " + config.epochs() + " epochs completed"
                        : "completed " + config.epochs() + " epochs";
                if (bar != null) {
                    bar.finish(String.format("val loss %.4f  val AUC %.4f%s%s", valLoss, valAuc, improved ? " *" : "",
                            note.isEmpty() ? "" : "\n" + note));
                }
                if (store != null) {
                    checkpoint(store, graph, progress.state(config, dataFiles), improved, config);
                }
                if (stop) {
                    break;
                }
            }
        } finally {
            if (parallel != null) {
                parallel.shutdown();
            }
            TrainingEngine.release(stepper);
        }
        if (config.restoreBest() && progress.plateau.bestParams != null) {
            graph.setParams(progress.plateau.bestParams);
        }
        String stopReason = progress.stopReason;
        if (progress.epochs.size() == completedBefore && completedBefore >= config.epochs()) {
            stopReason = "already trained " + completedBefore + " of " + config.epochs() + " epochs";
        }
        return new TrainingHistory(progress.epochs, stopReason);
    }

    /** What one epoch of training gave: batches, images, summed loss (× images), seconds. */
    private record EpochFit(int batches, long images, double lossSum, double seconds) {
    }

    /**
     * One epoch of training at the current learning rate, single model or data-parallel; checks the first batch of
     * a run's first epoch and refuses a diverged loss. {@code stepper} takes the single-model steps ({@code graph}, or
     * its training-engine view from {@link TrainingEngine#forTraining}).
     */
    private static EpochFit fitEpoch(ComputationGraph graph, ComputationGraph stepper, DataSetIterator train,
                                     TrainerConfig config, Parallel parallel, Progress progress, int epoch, boolean firstOfRun,
                                     ProgressBar bar) {
        long t0 = System.nanoTime();
        graph.setLearningRate(progress.learningRate);
        Nd4j.getRandom().setSeed(config.seed() + epoch);
        if (train.resetSupported()) {
            train.reset();
        }
        int total = config.maxBatchesPerEpoch() > 0 ? config.maxBatchesPerEpoch() : -1;
        double lossSum = 0;
        long images = 0;
        int batches = 0;
        if (parallel != null) {
            DataSetIterator epochData = total > 0 ? new EarlyTerminationDataSetIterator(train, total) : train;
            var first = epochData.hasNext() ? epochData.next() : null;
            if (first != null) {
                if (firstOfRun) {
                    progress.checkFirstBatch(graph, first, epoch);
                }
                EpochFeed feed = new EpochFeed(first, epochData);
                parallel.fit(feed, progress.learningRate);
                batches = feed.batches();
                images = feed.images();
                double loss = graph.score(); // the last averaged score of the workers
                requireFinite(loss, "epoch " + epoch, config.workers() + " workers, ", progress.learningRate, "the data",
                        bar);
                lossSum = loss * images;
                if (bar != null) {
                    bar.update(batches, images, loss);
                }
            }
        } else {
            while (train.hasNext() && (total < 0 || batches < total)) {
                DataSet ds = train.next();
                if (batches == 0 && firstOfRun) {
                    progress.checkFirstBatch(graph, ds, epoch);
                }
                stepper.fit(ds);
                double loss = stepper.score();
                batches++;
                requireFinite(loss, "epoch " + epoch + ", batch " + batches, "", progress.learningRate, "the batch", bar);
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
        return new EpochFit(batches, images, lossSum, (System.nanoTime() - t0) / 1e9);
    }

    /** The divergence check of both training loops: a NaN or infinite loss stops the run with advice. */
    private static void requireFinite(double loss, String where, String workers, double lr, String data,
                                      ProgressBar bar) {
        if (Double.isFinite(loss)) {
            return;
        }
        if (bar != null) {
            bar.finish("");
        }
        throw new TrainingException(String.format("training loss became %s at %s (%slearning rate %.3g): the model "
                + "diverged; lower the learning rate, or check %s for NaN/Inf pixels or labels",
                Double.isNaN(loss) ? "NaN" : "infinite", where, workers, lr, data));
    }

    /** The checkpoint step: the epoch's checkpoint, the best one when it improved, and the history beside them. */
    private static void checkpoint(CheckpointStore store, ComputationGraph graph, CheckpointState state, boolean improved,
                                   TrainerConfig config) {
        store.save(graph, state, config.keepCheckpoints());
        if (improved) {
            store.saveBest(graph, state);
        }
        state.history().save(store.dir().resolve("history.json"));
    }

    /**
     * The plateau policy on validation mean AUC: best epoch (and its parameters), epochs since the last
     * improvement (early stopping) and since the last improvement or reduction (learning-rate reduction).
     */
    private static final class Plateau {
        double bestAuc;
        int bestEpoch;
        int sinceImprovement;
        int sinceReduce;
        INDArray bestParams;

        /** Records the epoch's AUC; returns whether it is a new best (a NaN AUC changes nothing). */
        boolean observe(int epoch, double valAuc, ComputationGraph graph, boolean keepBest) {
            if (!Double.isFinite(valAuc)) {
                return false;
            }
            if (!(valAuc <= bestAuc)) { // true also when bestAuc is NaN
                bestAuc = valAuc;
                bestEpoch = epoch;
                sinceImprovement = 0;
                sinceReduce = 0;
                if (keepBest) {
                    bestParams = graph.params().dup();
                }
                return true;
            }
            sinceImprovement++;
            sinceReduce++;
            return false;
        }

        boolean patienceExhausted(TrainerConfig config) {
            return config.earlyStoppingPatience() > 0 && sinceImprovement >= config.earlyStoppingPatience();
        }

        String earlyStopReason(int epoch) {
            return String.format("early stopping after epoch %d: no better val AUC for %d epochs (best %.4f at epoch %d)",
                    epoch, sinceImprovement, bestAuc, bestEpoch);
        }
    }

    /** Everything the epoch loop carries from one epoch to the next; whole from the start of a run. */
    private static final class Progress {
        final List<EpochResult> epochs;
        final Plateau plateau = new Plateau();
        int epochsCompleted;
        double learningRate;
        String stopReason = "";
        long[] inputShape;
        long labelWidth;

        private Progress(List<EpochResult> epochs, int epochsCompleted, double learningRate, long[] inputShape,
                         long labelWidth) {
            this.epochs = new ArrayList<>(epochs);
            this.epochsCompleted = epochsCompleted;
            this.learningRate = learningRate;
            this.inputShape = inputShape;
            this.labelWidth = labelWidth;
        }

        /** A new run: no epoch, the configured learning rate, no best AUC, shape unknown until the first batch. */
        static Progress fresh(TrainerConfig config) {
            Progress p = new Progress(List.of(), 0, config.learningRate(), new long[0], -1);
            p.plateau.bestAuc = Double.NaN;
            return p;
        }

        /** A resumed run: everything as the checkpoint left it, the best parameters if they were kept. */
        static Progress of(CheckpointState s, INDArray bestParams) {
            Progress p = new Progress(s.history().epochs(), s.epochsCompleted(), s.nextLearningRate(), s.inputShape(),
                    s.labelWidth());
            p.stopReason = s.history().stopReason();
            p.plateau.bestAuc = s.bestAuc();
            p.plateau.bestEpoch = s.bestEpoch();
            p.plateau.sinceImprovement = s.epochsSinceImprovement();
            p.plateau.sinceReduce = s.epochsSinceReduce();
            p.plateau.bestParams = bestParams;
            return p;
        }

        /** Learning-rate reduction after {@code reduceLrPatience} epochs without improvement; returns the note ("" = none). */
        String reduceOnPlateau(TrainerConfig config) {
            if (config.reduceLrPatience() <= 0 || plateau.sinceReduce < config.reduceLrPatience()) {
                return "";
            }
            String note = "";
            double next = Math.max(learningRate * config.reduceLrFactor(), config.minLearningRate());
            if (next < learningRate) {
                note = String.format("no better val AUC for %d epoch(s): learning rate %.2e -> %.2e",
                        plateau.sinceReduce, learningRate, next);
                learningRate = next;
            }
            plateau.sinceReduce = 0;
            return note;
        }

        /** Checks the run's first batch against the checkpoint's image shape and the graph's outputs; keeps its shape. */
        void checkFirstBatch(ComputationGraph graph, DataSet ds, int epoch) {
            inputShape = Trainer.checkFirstBatch(graph, ds, inputShape, epoch);
            labelWidth = ds.getLabels().size(1);
        }

        /** The checkpoint of the epochs completed so far (model hash and time are added when the store writes it). */
        CheckpointState state(TrainerConfig config, List<Map<String, Object>> dataFiles) {
            return new CheckpointState(epochsCompleted, new TrainingHistory(epochs, stopReason), learningRate,
                    plateau.bestAuc, plateau.bestEpoch, plateau.sinceImprovement, plateau.sinceReduce, inputShape,
                    labelWidth, config.toMap(), dataFiles, null, null);
        }
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
