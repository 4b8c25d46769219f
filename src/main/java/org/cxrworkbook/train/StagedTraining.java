package org.cxrworkbook.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.SavedSplit;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.HeadOrder;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Transfer learning in stages, the way it is taught: (0) run the frozen pretrained base once over every image up to
 * the stage boundary and cache those activations on disk ({@link FeatureCache}); (1) train a new head — global average
 * pooling, Dense(14, sigmoid), the class-weighted loss — on pooled features computed cheaply from the cache;
 * (2) unfreeze the top of the network (the last {@code unfreezeLayers} dense layers of the last block, the final
 * {@code bn} and the head) and fine-tune it at a lower learning rate, again from the cached activations, so only the
 * trainable part runs forward and backward; (3, off by default) unfreeze everything and train on the images.
 * Then the full network (Keras layer names; 7,051,854 parameters for DenseNet121) is reassembled and saved as
 * {@code WORK/model.zip} with its history and data settings, as the single-stage {@link TrainingRecipe} does.
 *
 * <p>Stage boundary: with {@code unfreezeLayers = k} the base is frozen up to {@code conv5_block(16−k)_concat}
 * ({@code conv5_block15_concat} at the default k = 1; {@code pool4_pool} when the whole block is unfrozen). The cached
 * stages see no augmentation: a randomly changed image would change the frozen activations every epoch, so they could
 * not be computed once (training without augmentation is also what the single-stage recipe does today).
 *
 * <p>Where DL4J's {@link TransferLearningHelper} fits it is used: {@code unfrozenGraph()} cuts the trainable top
 * (its input is the boundary vertex) and, for stage 1, the head; {@code featurize} pools the cached boundary
 * activations into head features. The expensive pass over the images does not use {@code featurize}: that runs
 * {@code feedForward} over the whole graph and keeps every one of DenseNet121's 429 vertex activations per batch;
 * {@link ComputationGraph#output(List, boolean, INDArray[], INDArray[])} computes only up to the boundary. Training uses
 * {@link Trainer#fit} rather than {@code fitFeaturized}, for its per-epoch validation AUC, early stopping, best-epoch
 * weights and divergence check.
 */
public final class StagedTraining {

    private static final AtomicLong BASE_FORWARD_BATCHES = new AtomicLong();
    /**
     * The last features of this JVM (a notebook's kernel), their cache key and the cache folder's fingerprint: reused,
     * not reread, while the key matches and the files on disk are unchanged (a damaged file is then still detected).
     */
    private static volatile Features lastFeatures;
    private static volatile FeatureCache.Key lastKey;
    private static volatile String lastFingerprint;
    /** How the last computation of the activations in this JVM spent its time (see {@link #lastComputeTiming()}). */
    private static volatile Map<String, Object> lastComputeTiming = Map.of();

    /** Settings of a staged run ({@code headOrder}: the output order of a Keras starting-weights file's head, null = assumed from its name). */
    public record Plan(DataSettings data, Path workDir, boolean small, Path weights, String startingWeightsNote,
                       int stage1Epochs, double stage1LearningRate, int stage2Epochs, double stage2LearningRate,
                       int unfreezeLayers, boolean stage3Enabled, int stage3Epochs, double stage3LearningRate,
                       int maxBatches, int earlyStoppingPatience, int reduceLrPatience, boolean progress,
                       HeadOrder headOrder) {

        /** Checks the settings against each other before any work; throws naming the setting and its allowed values. */
        public Plan {
            int depth = modelConfig(small).blocks()[modelConfig(small).blocks().length - 1];
            if (unfreezeLayers < 0 || unfreezeLayers > depth) {
                throw new IllegalArgumentException("STAGE2_UNFREEZE_LAYERS = " + unfreezeLayers + " is beyond the network: "
                        + "the last dense block of " + (small ? "the small DenseNet" : "DenseNet121") + " has " + depth
                        + " layers; allowed 0.." + depth + " (0 = only the final bn and the head)");
            }
            require(stage1Epochs >= 1, "STAGE1_EPOCHS must be at least 1, got " + stage1Epochs);
            require(stage2Epochs >= 0, "STAGE2_EPOCHS must be 0 (no fine-tuning) or more, got " + stage2Epochs);
            require(stage3Epochs >= 0, "STAGE3_EPOCHS must be 0 or more, got " + stage3Epochs);
            require(!stage3Enabled || stage3Epochs >= 1, "STAGE3_ENABLED needs STAGE3_EPOCHS of at least 1");
            for (double lr : new double[] {stage1LearningRate, stage2LearningRate, stage3LearningRate}) {
                require(lr > 0 && Double.isFinite(lr), "learning rates must be positive, got " + lr);
            }
        }

        /**
         * The plan of the run settings: starting weights = the named file, none for {@code startingWeights = none}, else
         * the model's phantom base found in the work folder or the repository's {@code data/weights/}.
         */
        public static Plan of(RunSettings s) {
            boolean small = s.model() == RunSettings.Model.SMALL;
            Path weights = s.fromScratch() ? null : s.weightsFile().orElseGet(() -> StartingWeights.findPhantomBase(small,
                    s.workDir(), RunSettings.repositoryRoot(Path.of("").toAbsolutePath()).resolve("data").resolve("weights"),
                    Path.of("data", "weights"), Path.of("..", "data", "weights")).orElse(null));
            String note = s.fromScratch() ? "none: random initialisation, seed " + s.seed()
                    : "none: no " + (small ? StartingWeights.PHANTOM_BASE : StartingWeights.PHANTOM_BASE_121)
                    + " found, random initialisation (seed " + s.seed() + ")";
            return new Plan(s.dataSettings(), s.workDir(), small, weights, note, s.stage1Epochs(), s.stage1LearningRate(),
                    s.stage2Epochs(), s.stage2LearningRate(), s.stage2UnfreezeLayers(), s.stage3Enabled(),
                    Math.max(1, s.stage3Epochs()), s.stage3LearningRate(), s.maxBatches(), s.earlyStoppingPatience(),
                    s.reduceLrPatience(), true, s.headOrderGiven().orElse(null));
        }

        /** The plan of a {@link TrainingRecipe.Options} (stage settings included). */
        public static Plan of(TrainingRecipe.Options o) {
            return o.stagePlan();
        }

        /** The vertex the base is frozen up to: its activations are what the cache holds. */
        public String boundary() {
            return boundaryVertex(modelConfig(small), unfreezeLayers);
        }
    }

    /** The frozen base's cached activations and what stage 1 and 2 start from. */
    public record Features(Plan plan, String boundary, SplitSet splits, ClassFrequencies frequencies,
                           FeatureCache.Entry cache, ComputationGraph full, ComputationGraph top, String startedFrom,
                           boolean fromCache, double seconds, List<String> notes) {

        /** Boundary activations (rows × channels × side × side) per image, megabytes on disk for all splits. */
        public double megabytes() {
            return cache.bytes() / 1e6;
        }

        /** One line: where the activations came from, their shape, size and time. */
        public String describe() {
            long[] s = cache.train().getFeatures().shape();
            return String.format(java.util.Locale.ROOT, "%s activations at %s (%d × %d × %d per image) for %d train, "
                            + "%d val, %d test images, %.1f MB on disk, %s in %.1f s; base: %s",
                    fromCache ? "cached" : "computed", boundary, s[1], s[2], s[3], rows(cache.train()),
                    rows(cache.val()), rows(cache.test()), megabytes(), fromCache ? "read" : "computed and written",
                    seconds, startedFrom);
        }
    }

    /**
     * One trained stage: the trained part ({@code graph}: the head for stage 1, the unfrozen top for stage 2, the whole
     * network for stage 3), its history, wall time, trainable parameters, test-split probabilities (rows in
     * {@code splits().test()} order), and SHA-256 digests of the head's parameters before and after training.
     */
    public record StageResult(int stage, String name, ComputationGraph graph, TrainingHistory history, double seconds,
                              long trainableParams, double learningRate, INDArray testProbabilities,
                              String initialHeadSha256, String finalHeadSha256) {
    }

    /** What {@link #save} wrote: the network of the {@code chosen} stage and every stage's history. */
    public record Outcome(ComputationGraph graph, TrainingHistory history, List<StageResult> stages, StageResult chosen,
                          Path modelFile) {

        /** One sentence, from the validation AUCs, on which stage's network was saved and why. */
        public String choice() {
            StringBuilder sb = new StringBuilder();
            for (StageResult s : stages) {
                sb.append(sb.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT,
                        "stage %d (%s) %.3f", s.stage(), s.name(), s.history().bestValMeanAuc()));
            }
            StageResult last = stages.get(stages.size() - 1);
            String why = chosen == last ? "the last stage, and no earlier stage validated better"
                    : "its best validation mean AUC is higher than that of the later stage" + (stages.indexOf(chosen)
                    == stages.size() - 2 ? "" : "s") + ", so their weights were not kept (chosen on validation, never on test)";
            return String.format(java.util.Locale.ROOT, "Best validation mean AUC per stage: %s. Saved: stage %d (%s) — %s.",
                    sb, chosen.stage(), chosen.name(), why);
        }
    }

    /**
     * The stage whose network is saved: the one with the highest best validation mean AUC, the later on a tie (a stage
     * without a validation AUC counts as a tie). Fine-tuning that does not validate better than the head alone is
     * thus not kept — the staged analogue of keeping the best epoch.
     */
    public static StageResult chosen(List<StageResult> stages) {
        StageResult best = stages.get(0);
        for (StageResult s : stages) {
            double a = s.history().bestValMeanAuc();
            double b = best.history().bestValMeanAuc();
            if (!(a < b)) {   // NaN (no validation) or not worse: the later stage
                best = s;
            }
        }
        return best;
    }

    private final Plan plan;
    private final Consumer<String> log;

    private StagedTraining(Plan plan, Consumer<String> log) {
        this.plan = plan;
        this.log = log;
    }

    /** Staged training with these settings; notes (cache hits and rebuilds) go to standard error. */
    public static StagedTraining of(Plan plan) {
        return new StagedTraining(plan, System.err::println);
    }

    /** Staged training with these run settings; notes go to standard error. */
    public static StagedTraining of(RunSettings settings) {
        return of(Plan.of(settings));
    }

    /** Staged training with these settings, sending each one-line note to {@code log}. */
    public static StagedTraining of(Plan plan, Consumer<String> log) {
        return new StagedTraining(plan, log);
    }

    public Plan plan() {
        return plan;
    }

    /** Drops the features kept in memory, so that the next {@link #features()} reads the cache on disk (for tests). */
    static void forgetFeaturesInMemory() {
        lastFeatures = null;
        lastKey = null;
        lastFingerprint = null;
    }

    /** Batches the frozen base has been run on in this JVM (what a cache hit must not increase). */
    public static long baseForwardBatches() {
        return BASE_FORWARD_BATCHES.get();
    }

    /**
     * Where the last computation of the boundary activations in this JVM spent its time (films, data loading and
     * featurewise fit, decode workers, waiting for batches, forward, cache write; seconds), empty before the first; for
     * measurements such as the Spark job's single-machine baseline.
     */
    public static Map<String, Object> lastComputeTiming() {
        return lastComputeTiming;
    }

    /** DenseNet121 or the small variant as configured (size and head set per plan by {@link #modelConfig(Plan, ClassFrequencies)}). */
    static DenseNetConfig modelConfig(boolean small) {
        return small ? DenseNetConfig.small() : DenseNetConfig.densenet121();
    }

    /** The network of the plan: its image size and channels, 14 sigmoid outputs, the class-weighted loss. */
    public static DenseNetConfig modelConfig(Plan p, ClassFrequencies frequencies) {
        return modelConfig(p.small()).toBuilder().inputSize(p.data().imageSize()).channels(p.data().channels())
                .classes(14).lossFunction(WeightedBinaryCrossEntropy.of(frequencies)).seed(p.data().seed()).build();
    }

    /** The boundary vertex for {@code k} unfrozen layers of the last block. */
    static String boundaryVertex(DenseNetConfig c, int k) {
        int[] blocks = c.blocks();
        int stage = blocks.length + 1;
        int depth = blocks[blocks.length - 1];
        return depth - k >= 1 ? "conv" + stage + "_block" + (depth - k) + "_concat" : "pool" + (stage - 1) + "_pool";
    }

    /**
     * Stage 0: the base's activations at the boundary for every split, read from the cache when its key matches,
     * otherwise computed (images decoded, one forward pass of the frozen base) and written. Fails before any work
     * if the cache folder cannot be written.
     */
    public Features features() {
        long t0 = System.nanoTime();
        FeatureCache cache = new FeatureCache(plan.workDir());
        cache.requireWritable();
        List<String> notes = new ArrayList<>();
        Consumer<String> note = s -> {
            notes.add(s);
            log.accept(s);
        };
        DataSettings ds = plan.data();
        Settled settled = settle(note);
        SplitSet splits = settled.splits();
        ClassFrequencies freq = settled.frequencies();
        ComputationGraph full = settled.full();
        String from = settled.startedFrom();
        String boundary = settled.boundary();
        FeatureCache.Key key = settled.key();
        Features last = lastFeatures;
        if (last != null && key.equals(lastKey) && sameInputs(last.plan(), plan)
                && cache.fingerprint().equals(lastFingerprint)) {
            note.accept("feature cache: the activations computed for these settings are already in memory (key "
                    + key.sha256().substring(0, 12) + "…): no image decoded, no base forward pass, nothing reread");
            return new Features(plan, last.boundary(), last.splits(), last.frequencies(), last.cache(), last.full(),
                    last.top(), last.startedFrom(), true, (System.nanoTime() - t0) / 1e9, notes);
        }
        var hit = cache.read(key, note);
        FeatureCache.Entry entry;
        if (hit.isPresent()) {
            entry = hit.get();
            note.accept(String.format(java.util.Locale.ROOT, "feature cache: reused %s (%.1f MB, key %s…): no image decoded, "
                    + "no base forward pass", cache.dir(), entry.bytes() / 1e6, key.sha256().substring(0, 12)));
        } else {
            long tLoad = System.nanoTime();
            TrainingData data = TrainingData.load(ds, plan.workDir());
            Clock clock = new Clock();
            clock.prepareNanos = System.nanoTime() - tLoad;
            DataSet train;
            DataSet val;
            DataSet test;
            try {
                train = boundaryActivations(full, boundary, data.orderedIterator(splits.train(), "train"), clock);
                val = splits.val().isEmpty() ? null
                        : boundaryActivations(full, boundary, data.orderedIterator(splits.val(), "val"), clock);
                test = splits.test().isEmpty() ? null
                        : boundaryActivations(full, boundary, data.orderedIterator(splits.test(), "test"), clock);
            } finally {
                // the frozen-base pass is over: the engine's native buffers go now, not when `full` is collected
                org.cxrworkbook.model.engine.FrozenBase.release(full);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("featurewise_stats", data.stats().toString());
            info.put("base", from);
            info.put("seconds", (System.nanoTime() - t0) / 1e9);
            int films = splits.train().size() + splits.val().size() + splits.test().size();
            info.put("timing", clock.toMap(films));
            long tWrite = System.nanoTime();
            entry = cache.write(key, train, val, test, info);
            double write = (System.nanoTime() - tWrite) / 1e9;
            Map<String, Object> measured = new LinkedHashMap<>(clock.toMap(films));
            measured.put("write_seconds", Clock.round(write));
            lastComputeTiming = java.util.Collections.unmodifiableMap(measured);
            note.accept(String.format(java.util.Locale.ROOT, "feature cache: wrote %s (%.1f MB, key %s…)", cache.dir(),
                    entry.bytes() / 1e6, key.sha256().substring(0, 12)));
            note.accept(clock.describe(films, write));
        }
        ComputationGraph top = new TransferLearningHelper(full.clone(), boundary).unfrozenGraph();
        Features made = new Features(plan, boundary, splits, freq, entry, full, top, from, hit.isPresent(),
                (System.nanoTime() - t0) / 1e9, notes);
        lastKey = key;
        lastFingerprint = cache.fingerprint();
        lastFeatures = made;
        return made;
    }

    /**
     * What stage 0 settles before decoding any image: the dataset, its saved split (read from or written to
     * {@code WORK/splits}), the network with the base weights loaded, the boundary vertex and the cache key. Public so
     * that other writers of the same cache (the Spark job, {@code spark/job}) settle exactly what training will.
     */
    public record Settled(ChestXrayDataset dataset, SplitSet splits, ClassFrequencies frequencies, ComputationGraph full,
                          String startedFrom, String boundary, FeatureCache.Key key) {
    }

    /** Settles stage 0 (see {@link Settled}); one-line notes (e.g. a split saved for other settings) go to {@code note}. */
    public Settled settle(Consumer<String> note) {
        DataSettings ds = plan.data();
        ChestXrayDataset dataset = TrainingData.dataset(ds);
        SplitSet splits = SavedSplit.obtain(dataset, plan.workDir(), ds.valFraction(), ds.seed(), ds.maxImages(), note);
        if (splits.train().isEmpty()) {
            throw new TrainingException("the training split of " + ds.dataDir() + " is empty (" + dataset.records().size()
                    + " images in total): use more images or a smaller validation fraction");
        }
        ClassFrequencies freq = ClassFrequencies.of(splits.train());
        ComputationGraph full = DenseNet.build(modelConfig(plan, freq));
        String from = plan.weights() == null ? plan.startingWeightsNote()
                : StartingWeights.load(full, plan.weights(), true, plan.headOrder());
        String boundary = plan.boundary();
        return new Settled(dataset, splits, freq, full, from, boundary, key(dataset, splits, boundary));
    }

    /**
     * The cache key: everything the boundary activations depend on. Public so that other writers of the same cache
     * (the Spark job, {@code spark/job}) write it under exactly this key.
     */
    public FeatureCache.Key key(ChestXrayDataset dataset, SplitSet splits, String boundary) {
        DataSettings ds = plan.data();
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("format", "boundary activations v1, float32");
        k.put("model", plan.small() ? "small DenseNet" : "DenseNet121");
        k.put("boundary", boundary);
        k.put("base_sha256", plan.weights() == null ? plan.startingWeightsNote() : BaseFile.sha256(plan.weights()));
        k.put("data_entry_sha256", dataset.labelsSha256());   // NIH: the Data_Entry CSV; course: its 3 CSVs
        k.put("images_size_mtime_sha256", imagesDigest(dataset, splits));
        k.put("split_sha256", BaseFile.sha256(names(splits.train()) + "|" + names(splits.val()) + "|" + names(splits.test())));
        k.put("image_size", ds.imageSize());
        k.put("channels", ds.channels());
        // the featurewise statistics are fitted on training images chosen with the seed: given the data files, the
        // split and this line they are determined, so the key fixes them without decoding an image
        k.put("preprocessing", TrainingData.preprocessing() + ", fit seed " + ds.seed());
        return new FeatureCache.Key(k);
    }

    private static String names(List<ImageRecord> records) {
        return String.join(",", records.stream().map(ImageRecord::imageIndex).toList());
    }

    private static String imagesDigest(ChestXrayDataset dataset, SplitSet splits) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (List<ImageRecord> split : List.of(splits.train(), splits.val(), splits.test())) {
                for (ImageRecord r : split) {
                    Path p = dataset.imagePath(r);
                    String line = r.imageIndex() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + "\n";
                    md.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an image of " + dataset.root() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the frozen network up to {@code boundary} over every batch (in order); features = activations. Adds to
     * {@code clock} the decode workers' time, the time this thread waited for a batch and the forward time.
     */
    static DataSet boundaryActivations(ComputationGraph full, String boundary, CxrDataSetIterator it, Clock clock) {
        List<INDArray> acts = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        it.reset();
        while (true) {
            long t0 = System.nanoTime();
            if (!it.hasNext()) {
                break;
            }
            org.nd4j.linalg.dataset.api.DataSet b = it.next();
            long t1 = System.nanoTime();
            acts.add(org.cxrworkbook.model.engine.FrozenBase.output(full, boundary, b.getFeatures())); // oneDNN on the CPU
            labels.add(b.getLabels());
            BASE_FORWARD_BATCHES.incrementAndGet();
            clock.waitNanos += t1 - t0;
            clock.forwardNanos += System.nanoTime() - t1;
        }
        clock.decodeSeconds += it.decodeThreadSeconds();
        return new DataSet(Nd4j.concat(0, acts.toArray(INDArray[]::new)), Nd4j.vstack(labels.toArray(INDArray[]::new)));
    }

    /**
     * Where stage 0's time goes when it computes the activations: loading the data (split, featurewise statistics),
     * the decode workers (load, resize, standardise; summed over the iterator's workers, in parallel with the forward
     * pass), the time the forward thread waited for a decoded batch, the forward pass itself, and the cache write.
     */
    static final class Clock {
        long prepareNanos;
        long waitNanos;
        long forwardNanos;
        double decodeSeconds;

        Map<String, Object> toMap(int films) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("films", films);
            m.put("prepare_seconds", round(prepareNanos / 1e9));
            m.put("decode_thread_seconds", round(decodeSeconds));
            m.put("batch_wait_seconds", round(waitNanos / 1e9));
            m.put("forward_seconds", round(forwardNanos / 1e9));
            m.put("images_per_second", round(films / ((waitNanos + forwardNanos) / 1e9)));
            return m;
        }

        String describe(int films, double writeSeconds) {
            double loop = (waitNanos + forwardNanos) / 1e9;
            return String.format(java.util.Locale.ROOT, "stage 0 timing: %d films in %.1f s of decode + forward loop "
                            + "(%.1f images/s): forward %.1f s, waiting for decoded batches %.1f s (decode workers busy "
                            + "%.1f s in all), data loading and featurewise fit %.1f s before, cache write %.1f s after",
                    films, loop, films / loop, forwardNanos / 1e9, waitNanos / 1e9, decodeSeconds, prepareNanos / 1e9,
                    writeSeconds);
        }

        static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }

    /**
     * Stage 1: a new head (freshly initialised each call, never continuing from earlier weights) trained on the
     * pooled features of the cached activations, with the stage-1 learning rate and epochs. Writes the history to
     * {@code WORK/history-stage1.json}.
     */
    public StageResult stage1(Features f) {
        f = current(f);
        long t0 = System.nanoTime();
        ComputationGraph top = f.top().clone();
        String initial = headSha256(top);
        TransferLearningHelper helper = new TransferLearningHelper(top, DenseNet.FEATURES);
        ComputationGraph head = helper.unfrozenGraph();
        DataSet train = pooled(helper, f.cache().train());
        DataSet val = f.cache().val() == null ? null : pooled(helper, f.cache().val());
        DataSet test = f.cache().test() == null ? null : pooled(helper, f.cache().test());
        TrainingHistory h = fit("stage 1 (new head on the frozen base)", head, train, val, plan.stage1Epochs(),
                plan.stage1LearningRate(), false);
        StageResult r = new StageResult(1, "head only", head, h, (System.nanoTime() - t0) / 1e9,
                TransferLearningPlan.trainableParams(head), plan.stage1LearningRate(), probabilities(head, test),
                initial, headSha256(head));
        h.save(plan.workDir().resolve("history-stage1.json"));
        return r;
    }

    /**
     * Stage 2: the top of the network (the unfrozen dense layers, {@code bn}, the head) starting from the base and the
     * stage-1 head, fine-tuned on the cached boundary activations with the stage-2 learning rate. Writes
     * {@code WORK/history-stage2.json}.
     */
    public StageResult stage2(Features f, StageResult stage1) {
        f = current(f);
        long t0 = System.nanoTime();
        ComputationGraph top = f.top().clone();
        StartingWeights.copyMatching(stage1.graph(), top, List.of(DenseNet.HEAD));
        String initial = headSha256(top);
        TrainingHistory h = fit("stage 2 (top block fine-tuned)", top, f.cache().train(), f.cache().val(),
                plan.stage2Epochs(), plan.stage2LearningRate(), plan.progress());
        StageResult r = new StageResult(2, "head + top block", top, h, (System.nanoTime() - t0) / 1e9,
                TransferLearningPlan.trainableParams(top), plan.stage2LearningRate(),
                probabilities(top, f.cache().test()), initial, headSha256(top));
        h.save(plan.workDir().resolve("history-stage2.json"));
        return r;
    }

    /**
     * Stage 3 (off by default; for a GPU or real data): the whole network, assembled from {@code previous}, trained on
     * the images (decoded again, no cache) with the stage-3 learning rate, checkpoints in {@code WORK/checkpoints}.
     */
    public StageResult stage3(Features f, StageResult previous) {
        f = current(f);
        long t0 = System.nanoTime();
        ComputationGraph full = assemble(f, previous);
        String initial = headSha256(full);
        TrainingData data = TrainingData.load(plan.data(), plan.workDir());
        TrainerConfig tc = config(plan.stage3Epochs(), plan.stage3LearningRate(), plan.progress()).toBuilder()
                .checkpointDir(plan.workDir().resolve("checkpoints")).build();
        TrainingHistory h = guarded("stage 3 (everything unfrozen)", () -> Trainer.fit(full, data.train(), data.val(), tc));
        INDArray test = data.test() == null ? null : full.output(data.test())[0];
        h.save(plan.workDir().resolve("history-stage3.json"));
        return new StageResult(3, "all layers", full, h, (System.nanoTime() - t0) / 1e9, full.numParams(),
                plan.stage3LearningRate(), test, initial, headSha256(full));
    }

    /** The full network: the base's weights with every layer the stage trained copied in by name (unfrozen, fresh updater). */
    public ComputationGraph assemble(Features f, StageResult stage) {
        ComputationGraph full = f.full().clone();
        if (stage.stage() < 3) {
            StartingWeights.copyMatching(stage.graph(), full);
        } else {
            full.setParams(stage.graph().params());
        }
        return full;
    }

    /**
     * Assembles the network from the {@link #chosen} stage, writes {@code WORK/model.zip}, {@code WORK/history.json}
     * (all stages' epochs in order, numbered on) and {@code WORK/data-settings.json}.
     */
    public Outcome save(Features f, List<StageResult> stages) {
        f = current(f);
        if (stages.isEmpty() || stages.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("a stage to save is missing (null): run the training cells of stage 1 and 2 "
                    + "again — rerunning the Parameters cell resets the variables that depend on it");
        }
        StageResult last = chosen(stages);
        ComputationGraph full = last.stage() == 3 ? last.graph() : assemble(f, last);
        List<EpochResult> epochs = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (StageResult s : stages) {
            for (EpochResult e : s.history().epochs()) {
                epochs.add(new EpochResult(epochs.size() + 1, e.trainLoss(), e.valLoss(), e.valMeanAuc(), e.learningRate(),
                        e.imagesPerSecond(), e.seconds(), e.batches()));
            }
            reasons.add("stage " + s.stage() + " (" + s.name() + "): " + s.history().stopReason());
        }
        TrainingHistory history = new TrainingHistory(epochs, String.join("; ", reasons));
        Path model = CheckpointStore.writeModel(full, plan.workDir().resolve("model.zip"));
        history.save(plan.workDir().resolve("history.json"));
        plan.data().save(plan.workDir());
        return new Outcome(full, history, stages, last, model);
    }

    /** Every stage the plan asks for (stage 2 when it has epochs, stage 3 when enabled), then {@link #save}. */
    public Outcome run() {
        Features f = features();
        List<StageResult> stages = new ArrayList<>();
        stages.add(stage1(f));
        if (plan.stage2Epochs() > 0) {
            stages.add(stage2(f, stages.get(0)));
        }
        if (plan.stage3Enabled()) {
            stages.add(stage3(f, stages.get(stages.size() - 1)));
        }
        return save(f, stages);
    }

    /**
     * {@code f} if it was made for this plan's data and base, else (with one line saying so) features rebuilt for it.
     * {@code null} — what a notebook variable holds after a cell it depends on (the Parameters cell) was rerun: JShell
     * resets the variables whose declarations depended on the replaced one — gives the features of the current
     * settings, from memory or the cache.
     */
    private Features current(Features f) {
        if (f == null) {
            log.accept("no features given (a cell they depend on was rerun): taking them for the current settings");
            return features();
        }
        if (sameInputs(f.plan(), plan)) {
            return f;
        }
        log.accept("the features were computed for other settings (data, image size, model, base or unfrozen layers "
                + "changed): rebuilding them for the current settings");
        return features();
    }

    /** Whether two plans give the same boundary activations (data, model, base, unfrozen layers, work folder). */
    private static boolean sameInputs(Plan p, Plan q) {
        return p.data().equals(q.data()) && p.small() == q.small() && java.util.Objects.equals(p.weights(), q.weights())
                && p.unfreezeLayers() == q.unfreezeLayers() && java.util.Objects.equals(p.headOrder(), q.headOrder())
                && p.workDir().equals(q.workDir());
    }

    private static DataSet pooled(TransferLearningHelper helper, DataSet boundary) {
        List<INDArray> out = new ArrayList<>();
        long n = boundary.numExamples();
        for (long from = 0; from < n; from += 64) {
            long to = Math.min(n, from + 64);
            INDArray x = boundary.getFeatures().get(NDArrayIndex.interval(from, to)).dup();
            INDArray y = boundary.getLabels().get(NDArrayIndex.interval(from, to)).dup();
            out.add(helper.featurize(new DataSet(x, y)).getFeatures());
        }
        return new DataSet(Nd4j.vstack(out.toArray(INDArray[]::new)), boundary.getLabels());
    }

    /** The outputs of {@code g} for the features of {@code test} (null for null), 64 rows at a time, in order. */
    public static INDArray probabilities(ComputationGraph g, DataSet test) {
        if (test == null) {
            return null;
        }
        List<INDArray> out = new ArrayList<>();
        long n = test.numExamples();
        for (long from = 0; from < n; from += 64) {
            INDArray x = test.getFeatures().get(NDArrayIndex.interval(from, Math.min(n, from + 64))).dup();
            out.add(g.output(false, x)[0]);
        }
        return Nd4j.vstack(out.toArray(INDArray[]::new));
    }

    private TrainingHistory fit(String stage, ComputationGraph g, DataSet train, DataSet val, int epochs, double lr,
                                boolean progress) {
        long seed = plan.data().seed();
        FeatureIterator trainIt = new FeatureIterator(train.getFeatures(), train.getLabels(), plan.data().batchSize(), true, seed);
        FeatureIterator valIt = val == null ? null
                : new FeatureIterator(val.getFeatures(), val.getLabels(), 64, false, seed);
        TrainerConfig tc = config(epochs, lr, progress);
        return guarded(stage, () -> Trainer.fit(g, trainIt, valIt, tc));
    }

    private TrainerConfig config(int epochs, double lr, boolean progress) {
        return TrainerConfig.builder().epochs(epochs).learningRate(lr).batchSize(plan.data().batchSize())
                .seed(plan.data().seed()).maxBatchesPerEpoch(plan.maxBatches())
                .earlyStoppingPatience(plan.earlyStoppingPatience()).reduceLrPatience(plan.reduceLrPatience())
                .progress(progress).dataFiles(ChestXrayDataset.labelFiles(plan.data().dataDir())).build();
    }

    private static TrainingHistory guarded(String stage, java.util.function.Supplier<TrainingHistory> training) {
        try {
            return training.get();
        } catch (TrainingException e) {
            throw new TrainingException(stage + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the head's parameters (float32 bytes), to show whether a stage started from a new head. */
    static String headSha256(ComputationGraph g) {
        Layer head = g.getLayer(DenseNet.HEAD);
        float[] v = head.params().toFloatVector();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4);
        b.asFloatBuffer().put(v);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rows(DataSet d) {
        return d == null ? 0 : d.numExamples();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
