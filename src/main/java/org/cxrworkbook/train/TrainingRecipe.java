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
    private final RunSettings s;

    private TrainingRecipe(Options o) {
        this.o = o;
        this.s = o.runSettings(); // refuses contradictory settings before any work
    }

    /** A recipe for the given options. */
    public static TrainingRecipe of(Options options) {
        return new TrainingRecipe(options);
    }

    /** A recipe for the given settings (single stage: stage-1 epochs and learning rate). */
    public static TrainingRecipe of(RunSettings settings) {
        return new TrainingRecipe(options().settings(settings));
    }

    /** The settings this recipe runs with. */
    public RunSettings settings() {
        return s;
    }

    /** The network configuration for these options and loss. */
    public DenseNetConfig modelConfig(WeightedBinaryCrossEntropy loss) {
        return s.modelConfig().toBuilder().lossFunction(loss).build();
    }

    /** Builds the model and loads the starting weights; returns the graph and where its weights came from. */
    public Outcome prepare(TrainingData data) {
        ComputationGraph graph = DenseNet.build(modelConfig(data.loss()));
        String from = "scratch (random initialisation, seed " + s.seed() + ")";
        Optional<Path> weights = s.fromScratch() ? Optional.empty() : s.weightsFile().isPresent() ? s.weightsFile()
                : StartingWeights.findPhantomBase(s.model() == RunSettings.Model.SMALL, s.workDir(),
                        RunSettings.repositoryRoot(Path.of("").toAbsolutePath()).resolve("data").resolve("weights"),
                        Path.of("data", "weights"), Path.of("..", "data", "weights"));
        if (weights.isPresent()) {
            from = StartingWeights.load(graph, weights.get(), false, s.headOrderGiven().orElse(null));
        }
        if (o.freezeUpTo != null && !o.freezeUpTo.isBlank()) {
            graph = TransferLearningPlan.builder().freezeUpTo(o.freezeUpTo).loss(data.loss())
                    .learningRate(s.stage1LearningRate()).seed(s.seed()).build().headStage(graph);
            from += "; frozen up to " + o.freezeUpTo + ", new head";
        }
        return new Outcome(graph, null, data, from, null);
    }

    /** The data of these options (split, iterators, class frequencies) for a new run. */
    public TrainingData loadData() {
        return TrainingData.load(s.dataSettings(), s.workDir(), 0, 0);
    }

    /** Trainer settings of this recipe. */
    public TrainerConfig trainerConfig(TrainingData data) {
        return s.trainer(1).progress(o.progress).workers(o.workers).dataFiles(data.dataset().labelFiles()).build();
    }

    /** Runs everything and writes the model and history into the work folder, holding its {@link WorkLock}. */
    public Outcome run() {
        s.requireDataFolder();
        try (WorkLock lock = WorkLock.acquire(s.workDir(), "training")) {
            return runLocked();
        }
    }

    private Outcome runLocked() {
        CheckpointStore store = new CheckpointStore(s.workDir().resolve("checkpoints"));
        Optional<CheckpointStore.Checkpoint> cp = o.resume ? Optional.of(checkpointToResume(store)) : Optional.empty();
        int start = cp.map(c -> c.state().epochsCompleted()).orElse(0);
        TrainingData data = TrainingData.load(s.dataSettings(), s.workDir(), 0, start);
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
            ResumeCheck.record(store.dir(), s);
            history = Trainer.fit(graph, data.train(), data.val(), tc);
        }
        Path model = CheckpointStore.writeModel(graph, s.workDir().resolve("model.zip"));
        history.save(s.workDir().resolve("history.json"));
        data.settings().save(s.workDir());
        return new Outcome(graph, history, data, from, model);
    }

    /**
     * The last complete checkpoint of {@code store}, after {@link ResumeCheck} found it made with this run's settings
     * (or {@code --force}); refuses when there is none, instead of quietly starting a new run.
     */
    private CheckpointStore.Checkpoint checkpointToResume(CheckpointStore store) {
        CheckpointStore.Checkpoint cp = store.latest().orElseThrow(() -> new SettingException("resume",
                "no checkpoint to resume in " + store.dir() + ": train without --resume to start a new run"));
        String note = ResumeCheck.require(store.dir(), s, o.force);
        if (!note.isEmpty()) {
            System.err.println(note);
        }
        return cp;
    }

    /**
     * Options of a run: the {@link RunSettings} (defaults from {@link RunSettings#classroom()}, nowhere else) plus what
     * only a single run has — resume, a vertex to freeze up to, progress bar, workers. The single-stage recipe trains
     * for the settings' stage-1 epochs at the stage-1 learning rate. Setter names follow the settings.
     */
    public static final class Options {
        private RunSettings.Builder settings = RunSettings.classroom().toBuilder();
        private Path weights;
        private boolean fromScratch;
        String freezeUpTo;
        boolean resume;
        boolean force;
        boolean progress = true;
        int workers = 1;

        /** Takes every run setting from {@code s} (starting weights included). */
        public Options settings(RunSettings s) {
            settings = s.toBuilder();
            weights = null;
            fromScratch = false;
            return this;
        }
        public Options dataDir(Path v) { settings.dataDir(v); return this; }
        public Options workDir(Path v) { settings.workDir(v); return this; }
        public Options imageSize(int v) { settings.imageSize(v); return this; }
        public Options channels(int v) { settings.channels(v); return this; }
        /** Epochs of the single-stage run (the settings' stage-1 epochs). */
        public Options epochs(int v) { settings.stage1Epochs(v); return this; }
        public Options batchSize(int v) { settings.batchSize(v); return this; }
        /** Adam learning rate of the single-stage run (the settings' stage-1 learning rate). */
        public Options learningRate(double v) { settings.stage1LearningRate(v); return this; }
        /** The small DenseNet variant instead of DenseNet121. */
        public Options small(boolean v) { settings.model(v ? RunSettings.Model.SMALL : RunSettings.Model.DENSENET121); return this; }
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
        /** With {@link #resume}: continue even when the checkpoint was made with other settings (they are listed). */
        public Options force(boolean v) { force = v; return this; }
        public Options maxBatches(int v) { settings.maxBatches(v); return this; }
        /** At most this many images (whole patients; 0 = all). */
        public Options maxImages(long v) { settings.maxImages(v); return this; }
        public Options valFraction(double v) { settings.valFraction(v); return this; }
        public Options seed(long v) { settings.seed(v); return this; }
        public Options earlyStoppingPatience(int v) { settings.earlyStoppingPatience(v); return this; }
        public Options reduceLrPatience(int v) { settings.reduceLrPatience(v); return this; }
        public Options progress(boolean v) { progress = v; return this; }
        /** Data-parallel workers through DL4J's ParallelWrapper (one per device); 1 = single model. */
        public Options workers(int v) { workers = v; return this; }
        /** Stage 1 of the staged recipe: epochs and Adam learning rate of the new head on the frozen base. */
        public Options stage1(int epochs, double learningRate) {
            settings.stage1Epochs(epochs).stage1LearningRate(learningRate);
            return this;
        }
        /** Stage 2: epochs (0 = none) and learning rate of the fine-tuned top. */
        public Options stage2(int epochs, double learningRate) {
            settings.stage2Epochs(epochs).stage2LearningRate(learningRate);
            return this;
        }
        /** Stage 2: dense layers of the last block unfrozen (1 = conv5_block16), plus bn and the head. */
        public Options stage2UnfreezeLayers(int v) { settings.stage2UnfreezeLayers(v); return this; }
        /** Stage 3 (everything unfrozen, on the images): on/off, epochs, learning rate. */
        public Options stage3(boolean enabled, int epochs, double learningRate) {
            settings.stage3Enabled(enabled).stage3Epochs(epochs).stage3LearningRate(learningRate);
            return this;
        }

        /** The run settings of these options, checked (a refused setting throws {@link SettingException}). */
        public RunSettings runSettings() {
            if (fromScratch) {
                settings.startingWeights("none");
            } else if (weights != null) {
                settings.startingWeights(weights.toString());
            }
            return settings.build();
        }

        /** The settings of the staged recipe ({@link StagedTraining}), with this run's progress bar choice. */
        StagedTraining.Plan stagePlan() {
            StagedTraining.Plan p = StagedTraining.Plan.of(runSettings());
            return new StagedTraining.Plan(p.data(), p.workDir(), p.small(), p.weights(), p.startingWeightsNote(),
                    p.stage1Epochs(), p.stage1LearningRate(), p.stage2Epochs(), p.stage2LearningRate(), p.unfreezeLayers(),
                    p.stage3Enabled(), p.stage3Epochs(), p.stage3LearningRate(), p.maxBatches(), p.earlyStoppingPatience(),
                    p.reduceLrPatience(), progress, p.headOrder());
        }
    }

    /** Fresh options with the classroom defaults. */
    public static Options options() {
        return new Options();
    }
}
