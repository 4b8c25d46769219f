package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Immutable settings of one training run: optimiser, budget, plateau/early-stopping rules, checkpoints. */
public final class TrainerConfig {

    private final int epochs;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final int batchSize;
    private final long seed;
    private final double reduceLrFactor;
    private final int reduceLrPatience;
    private final double minLearningRate;
    private final int earlyStoppingPatience;
    private final Path checkpointDir;
    private final int keepCheckpoints;
    private final int maxBatchesPerEpoch;
    private final int maxValidationBatches;
    private final boolean progress;
    private final boolean restoreBest;
    private final boolean useAdam;
    private final int workers;
    private final int averagingFrequency;
    private final List<Path> dataFiles;

    private TrainerConfig(Builder b) {
        this.epochs = b.epochs;
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.reduceLrFactor = b.reduceLrFactor;
        this.reduceLrPatience = b.reduceLrPatience;
        this.minLearningRate = b.minLearningRate;
        this.earlyStoppingPatience = b.earlyStoppingPatience;
        this.checkpointDir = b.checkpointDir;
        this.keepCheckpoints = b.keepCheckpoints;
        this.maxBatchesPerEpoch = b.maxBatchesPerEpoch;
        this.maxValidationBatches = b.maxValidationBatches;
        this.progress = b.progress;
        this.restoreBest = b.restoreBest;
        this.useAdam = b.useAdam;
        this.workers = b.workers;
        this.averagingFrequency = b.averagingFrequency;
        this.dataFiles = List.copyOf(b.dataFiles);
    }

    /**
     * A builder with the run-setting defaults of {@link RunSettings#classroom()} (stage-1 epochs and learning rate,
     * batch, seed, patience) and the optimiser's own (Adam β 0.9/0.999, learning rate ×0.1 on a plateau, two checkpoints
     * kept).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration, to change a few settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.learningRate = learningRate;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.batchSize = batchSize;
        b.seed = seed;
        b.reduceLrFactor = reduceLrFactor;
        b.reduceLrPatience = reduceLrPatience;
        b.minLearningRate = minLearningRate;
        b.earlyStoppingPatience = earlyStoppingPatience;
        b.checkpointDir = checkpointDir;
        b.keepCheckpoints = keepCheckpoints;
        b.maxBatchesPerEpoch = maxBatchesPerEpoch;
        b.maxValidationBatches = maxValidationBatches;
        b.progress = progress;
        b.restoreBest = restoreBest;
        b.useAdam = useAdam;
        b.workers = workers;
        b.averagingFrequency = averagingFrequency;
        b.dataFiles = new ArrayList<>(dataFiles);
        return b;
    }

    public int epochs() { return epochs; }
    public double learningRate() { return learningRate; }
    public double beta1() { return beta1; }
    public double beta2() { return beta2; }
    /** Batch size of the iterators, recorded for information only (the iterators decide it). */
    public int batchSize() { return batchSize; }
    public long seed() { return seed; }
    public double reduceLrFactor() { return reduceLrFactor; }
    /** Epochs without a better validation AUC before the learning rate is multiplied by the factor; 0 = never. */
    public int reduceLrPatience() { return reduceLrPatience; }
    public double minLearningRate() { return minLearningRate; }
    /** Epochs without a better validation AUC before training stops; 0 = never stop early. */
    public int earlyStoppingPatience() { return earlyStoppingPatience; }
    public Optional<Path> checkpointDir() { return Optional.ofNullable(checkpointDir); }
    public int keepCheckpoints() { return keepCheckpoints; }
    /** At most this many training batches per epoch; 0 = all (classroom/CI budget). */
    public int maxBatchesPerEpoch() { return maxBatchesPerEpoch; }
    /** At most this many validation batches per epoch; 0 = all. */
    public int maxValidationBatches() { return maxValidationBatches; }
    public boolean progress() { return progress; }
    /** Whether the graph ends with the parameters of its best validation epoch. */
    public boolean restoreBest() { return restoreBest; }
    /** Whether the trainer installs Adam(learningRate, β1, β2) on every trainable layer of a fresh run. */
    public boolean useAdam() { return useAdam; }
    /** Data-parallel model replicas (DL4J ParallelWrapper, one per device); 1 = the plain single-model loop. */
    public int workers() { return workers; }
    /** With several workers: batches each replica trains between two averagings of parameters and Adam state. */
    public int averagingFrequency() { return averagingFrequency; }
    /** Data files recorded with SHA-256 and modification time in each checkpoint's provenance. */
    public List<Path> dataFiles() { return dataFiles; }

    /** The settings as a JSON-friendly map (checkpoint sidecar, history file). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("learningRate", learningRate);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("batchSize", batchSize);
        m.put("seed", seed);
        m.put("reduceLrFactor", reduceLrFactor);
        m.put("reduceLrPatience", reduceLrPatience);
        m.put("minLearningRate", minLearningRate);
        m.put("earlyStoppingPatience", earlyStoppingPatience);
        m.put("maxBatchesPerEpoch", maxBatchesPerEpoch);
        m.put("maxValidationBatches", maxValidationBatches);
        m.put("restoreBest", restoreBest);
        m.put("workers", workers);
        m.put("averagingFrequency", averagingFrequency);
        return m;
    }

    @Override
    public String toString() {
        return "TrainerConfig" + toMap();
    }

    /** Builder of {@link TrainerConfig}; setters are named after the option. */
    public static final class Builder {
        private int epochs;
        private double learningRate;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private int batchSize;
        private long seed;
        private double reduceLrFactor = 0.1;
        private int reduceLrPatience;
        private double minLearningRate = 1e-7;
        private int earlyStoppingPatience;
        private Path checkpointDir;
        private int keepCheckpoints = 2;
        private int maxBatchesPerEpoch;
        private int maxValidationBatches;
        private boolean progress = true;
        private boolean restoreBest = true;
        private boolean useAdam = true;
        private int workers = 1;
        private int averagingFrequency = 1;
        private List<Path> dataFiles = new ArrayList<>();

        private Builder() {
            RunSettings c = RunSettings.classroom();
            epochs = c.stage1Epochs();
            learningRate = c.stage1LearningRate();
            batchSize = c.batchSize();
            seed = c.seed();
            reduceLrPatience = c.reduceLrPatience();
            earlyStoppingPatience = c.earlyStoppingPatience();
        }

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder beta1(double v) { beta1 = v; return this; }
        public Builder beta2(double v) { beta2 = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder reduceLrFactor(double v) { reduceLrFactor = v; return this; }
        public Builder reduceLrPatience(int v) { reduceLrPatience = v; return this; }
        public Builder minLearningRate(double v) { minLearningRate = v; return this; }
        public Builder earlyStoppingPatience(int v) { earlyStoppingPatience = v; return this; }
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }
        public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
        public Builder maxBatchesPerEpoch(int v) { maxBatchesPerEpoch = v; return this; }
        public Builder maxValidationBatches(int v) { maxValidationBatches = v; return this; }
        public Builder progress(boolean v) { progress = v; return this; }
        public Builder restoreBest(boolean v) { restoreBest = v; return this; }
        public Builder useAdam(boolean v) { useAdam = v; return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder averagingFrequency(int v) { averagingFrequency = v; return this; }
        public Builder dataFiles(List<Path> v) { dataFiles = new ArrayList<>(v); return this; }

        /** Checks the ranges and builds the configuration. */
        public TrainerConfig build() {
            require(epochs >= 1, "epochs must be at least 1, got " + epochs);
            require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be positive, got " + learningRate);
            require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0,1), got " + beta1);
            require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0,1), got " + beta2);
            require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
            require(reduceLrFactor > 0 && reduceLrFactor <= 1, "reduceLrFactor must be in (0,1], got " + reduceLrFactor);
            require(reduceLrPatience >= 0, "reduceLrPatience must be >= 0, got " + reduceLrPatience);
            require(earlyStoppingPatience >= 0, "earlyStoppingPatience must be >= 0, got " + earlyStoppingPatience);
            require(keepCheckpoints >= 1, "keepCheckpoints must be at least 1, got " + keepCheckpoints);
            require(maxBatchesPerEpoch >= 0, "maxBatchesPerEpoch must be >= 0, got " + maxBatchesPerEpoch);
            require(maxValidationBatches >= 0, "maxValidationBatches must be >= 0, got " + maxValidationBatches);
            require(workers >= 1, "workers must be at least 1 (1 = no data parallelism), got " + workers);
            require(averagingFrequency >= 1, "averagingFrequency must be at least 1, got " + averagingFrequency);
            return new TrainerConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
