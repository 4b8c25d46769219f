package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One complete training run as the CLI {@code train} and notebook 06 do it: load the data, build the
 * DenseNet (121 or small) with the class-weighted loss, start from given weights (Keras HDF5 or our
 * zip), else the phantom-pretrained base if present, else scratch; optionally freeze the base up to a
 * vertex; train with checkpoints in {@code workDir/checkpoints} (or resume there); save
 * {@code workDir/model.zip} and {@code workDir/history.json}.
 */
public final class TrainingRecipe {

    /** What a run produced. */
    public record Outcome(ComputationGraph graph, TrainingHistory history, TrainingData data, String startedFrom,
                          Path modelFile) {
    }

    private final Options o;

    private TrainingRecipe(Options o) {
        this.o = o;
    }

    /** A recipe for the given options. */
    public static TrainingRecipe of(Options options) {
        return new TrainingRecipe(options);
    }

    /** The network configuration for these options and loss. */
    public DenseNetConfig modelConfig(WeightedBinaryCrossEntropy loss) {
        DenseNetConfig base = o.small ? DenseNetConfig.small() : DenseNetConfig.densenet121();
        return base.toBuilder().inputSize(o.imageSize).channels(o.channels).classes(14).lossFunction(loss)
                .seed(o.seed).build();
    }

    /** Builds the model and loads the starting weights; returns the graph and where its weights came from. */
    public Outcome prepare(TrainingData data) {
        ComputationGraph graph = DenseNet.build(modelConfig(data.loss()));
        String from = "scratch (random initialisation, seed " + o.seed + ")";
        Optional<Path> weights = o.startingWeightsFile();
        if (weights.isPresent()) {
            from = StartingWeights.load(graph, weights.get());
        }
        if (o.freezeUpTo != null && !o.freezeUpTo.isBlank()) {
            graph = TransferLearningPlan.builder().freezeUpTo(o.freezeUpTo).loss(data.loss())
                    .learningRate(o.learningRate).seed(o.seed).build().headStage(graph);
            from += "; frozen up to " + o.freezeUpTo + ", new head";
        }
        return new Outcome(graph, null, data, from, null);
    }

    /** The data of these options (split, iterators, class frequencies) for a new run. */
    public TrainingData loadData() {
        return TrainingData.load(o.dataDir, o.imageSize, o.channels, o.batchSize, o.maxImages, o.valFraction, o.seed, 0);
    }

    /** Trainer settings of this recipe. */
    public TrainerConfig trainerConfig(TrainingData data) {
        return TrainerConfig.builder().epochs(o.epochs).learningRate(o.learningRate).batchSize(o.batchSize)
                .seed(o.seed).maxBatchesPerEpoch(o.maxBatches).checkpointDir(o.workDir.resolve("checkpoints"))
                .earlyStoppingPatience(o.earlyStoppingPatience).reduceLrPatience(o.reduceLrPatience)
                .progress(o.progress).workers(o.workers).dataFiles(List.of(data.labelsFile())).build();
    }

    /** Runs everything and writes the model and history into the work folder. */
    public Outcome run() {
        CheckpointStore store = new CheckpointStore(o.workDir.resolve("checkpoints"));
        Optional<CheckpointStore.Checkpoint> cp = o.resume ? store.latest() : Optional.empty();
        int start = cp.map(c -> c.state().epochsCompleted()).orElse(0);
        TrainingData data = TrainingData.load(o.dataDir, o.imageSize, o.channels, o.batchSize, o.maxImages,
                o.valFraction, o.seed, start);
        TrainerConfig tc = trainerConfig(data);
        ComputationGraph graph;
        TrainingHistory history;
        String from;
        if (cp.isPresent()) {
            Trainer.TrainingRun run = Trainer.resume(cp.get(), data.train(), data.val(), tc);
            graph = run.graph();
            history = run.history();
            from = "resumed from " + cp.get().file();
        } else {
            Outcome prepared = prepare(data);
            graph = prepared.graph();
            from = prepared.startedFrom();
            history = Trainer.fit(graph, data.train(), data.val(), tc);
        }
        Path model = CheckpointStore.writeModel(graph, o.workDir.resolve("model.zip"));
        history.save(o.workDir.resolve("history.json"));
        data.settings().save(o.workDir);
        return new Outcome(graph, history, data, from, model);
    }

    /** Options of a run; names follow the notebook's parameter cell. */
    public static final class Options {
        Path dataDir = Path.of("data", "phantom");
        Path workDir = Path.of("output", "work");
        int imageSize = 128;
        int channels = 3;
        int epochs = 15;
        int batchSize = 8;
        double learningRate = 1e-3;
        boolean small = true;
        Path weights;
        boolean fromScratch;
        String freezeUpTo;
        boolean resume;
        int maxBatches;
        long maxImages;
        double valFraction = 0.2;
        long seed = 42;
        int earlyStoppingPatience = 5;
        int reduceLrPatience = 3;
        boolean progress = true;
        int workers = 1;
        int stage1Epochs = 30;
        double stage1LearningRate = 1e-3;
        int stage2Epochs = 10;
        double stage2LearningRate = 1e-4;
        int stage2UnfreezeLayers = 1;
        boolean stage3Enabled;
        int stage3Epochs = 5;
        double stage3LearningRate = 1e-5;

        public Options dataDir(Path v) { dataDir = v; return this; }
        public Options workDir(Path v) { workDir = v; return this; }
        public Options imageSize(int v) { imageSize = v; return this; }
        public Options channels(int v) { channels = v; return this; }
        public Options epochs(int v) { epochs = v; return this; }
        public Options batchSize(int v) { batchSize = v; return this; }
        public Options learningRate(double v) { learningRate = v; return this; }
        /** The small DenseNet variant instead of DenseNet121. */
        public Options small(boolean v) { small = v; return this; }
        /** Starting weights (.h5 Keras or .zip DL4J); null = phantom base if present, else scratch. */
        public Options weights(Path v) { weights = v; return this; }
        /**
         * The notebook's {@code WEIGHTS} setting: blank = the phantom base if present, else scratch; "none" = scratch;
         * anything else = that file.
         */
        public Options startingWeights(String setting) {
            String v = setting == null ? "" : setting.strip();
            fromScratch = v.equalsIgnoreCase("none");
            weights = v.isEmpty() || fromScratch ? null : Path.of(v);
            return this;
        }
        /** Random initialisation even where a phantom base exists (overrides {@link #weights}). */
        public Options fromScratch(boolean v) { fromScratch = v; return this; }
        /** Freeze the base up to this vertex and train a new head (null = train everything). */
        public Options freezeUpTo(String v) { freezeUpTo = v; return this; }
        public Options resume(boolean v) { resume = v; return this; }
        public Options maxBatches(int v) { maxBatches = v; return this; }
        /** At most this many images (whole patients; 0 = all). */
        public Options maxImages(long v) { maxImages = v; return this; }
        public Options valFraction(double v) { valFraction = v; return this; }
        public Options seed(long v) { seed = v; return this; }
        public Options earlyStoppingPatience(int v) { earlyStoppingPatience = v; return this; }
        public Options reduceLrPatience(int v) { reduceLrPatience = v; return this; }
        public Options progress(boolean v) { progress = v; return this; }
        /** Data-parallel workers through DL4J's ParallelWrapper (one per device); 1 = single model. */
        public Options workers(int v) { workers = v; return this; }
        /** Stage 1 of the staged recipe: epochs and Adam learning rate of the new head on the frozen base. */
        public Options stage1(int epochs, double learningRate) { stage1Epochs = epochs; stage1LearningRate = learningRate; return this; }
        /** Stage 2: epochs (0 = none) and learning rate of the fine-tuned top. */
        public Options stage2(int epochs, double learningRate) { stage2Epochs = epochs; stage2LearningRate = learningRate; return this; }
        /** Stage 2: dense layers of the last block unfrozen (1 = conv5_block16), plus bn and the head. */
        public Options stage2UnfreezeLayers(int v) { stage2UnfreezeLayers = v; return this; }
        /** Stage 3 (everything unfrozen, on the images): on/off, epochs, learning rate. */
        public Options stage3(boolean enabled, int epochs, double learningRate) {
            stage3Enabled = enabled;
            stage3Epochs = epochs;
            stage3LearningRate = learningRate;
            return this;
        }

        /** The starting weights these options resolve to: the named file, else the model's phantom base if present, else none. */
        Optional<Path> startingWeightsFile() {
            if (fromScratch) {
                return Optional.empty();
            }
            return weights != null ? Optional.of(weights)
                    : StartingWeights.findPhantomBase(small, workDir, Path.of("data", "weights"), Path.of("..", "data", "weights"));
        }

        /** The settings of the staged recipe ({@link StagedTraining}). */
        StagedTraining.Plan stagePlan() {
            return new StagedTraining.Plan(new DataSettings(dataDir, imageSize, channels, batchSize, maxImages, valFraction, seed),
                    workDir, small, startingWeightsFile().orElse(null), "none: random initialisation, seed " + seed,
                    stage1Epochs, stage1LearningRate, stage2Epochs, stage2LearningRate, stage2UnfreezeLayers,
                    stage3Enabled, stage3Epochs, stage3LearningRate, maxBatches, earlyStoppingPatience, reduceLrPatience,
                    progress);
        }
    }

    /** Fresh options with the classroom defaults. */
    public static Options options() {
        return new Options();
    }
}
