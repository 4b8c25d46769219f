package org.cxrworkbook.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.SavedSplit;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.data.WorkbookHome;
import org.cxrworkbook.model.HeadOrder;

/**
 * The one source of a run's settings — data and work folders, image size, split, batch, model, starting weights,
 * epochs and learning rates of the three training stages, budgets and patience — for every notebook's Parameters
 * cell, every CLI command and the training recipe. Immutable; {@link #classroom()} is the only place the defaults
 * are written; {@link Builder#overrides(SettingSource)} applies {@code CXR_*} variables on top; {@link Builder#build()}
 * refuses contradictory or out-of-range settings before any work, naming the setting, the value and what is allowed.
 */
public final class RunSettings {

    /** The network a run trains. */
    public enum Model {
        /** Keras' DenseNet121 (blocks 6, 12, 24, 16): the course's model and the classroom default. */
        DENSENET121("densenet121", "DenseNet121", DenseNetConfig.densenet121()),
        /** The small DenseNet of the same shape (blocks 2, 2, 2, 2) for tests and quick looks. */
        SMALL("small", "the small DenseNet", DenseNetConfig.small());

        private final String id;
        private final String label;
        private final DenseNetConfig config;

        Model(String id, String label, DenseNetConfig config) {
            this.id = id;
            this.label = label;
            this.config = config;
        }

        /** The name used in settings and on the command line: {@code densenet121} or {@code small}. */
        public String id() { return id; }

        /** The name used in sentences. */
        public String label() { return label; }

        /** The architecture (its default input size and head; {@link RunSettings#modelConfig()} sets the run's). */
        public DenseNetConfig config() { return config; }

        /** Dense layers in the last dense block (Keras' conv5: 16 in DenseNet121, 2 in the small variant). */
        public int topBlockDepth() {
            int[] blocks = config.blocks();
            return blocks[blocks.length - 1];
        }

        /** The smallest image side the network accepts (its last feature map must not be empty). */
        public int minImageSize() { return config.minInputSize(); }

        /** The model named {@code id} (any letter case). */
        public static Optional<Model> of(String id) {
            for (Model m : values()) {
                if (m.id.equalsIgnoreCase(id.strip())) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() { return id; }
    }

    /** Largest image side accepted (the NIH PNGs are 1024²). */
    public static final int MAX_IMAGE_SIZE = 1024;
    /** Largest batch accepted. */
    public static final int MAX_BATCH_SIZE = 1024;
    /** Largest epoch count of one stage. */
    public static final int MAX_EPOCHS = 10_000;
    /** Largest patience (epochs) accepted. */
    public static final int MAX_PATIENCE = 10_000;
    /** Largest number of bootstrap replicates accepted. */
    public static final int MAX_BOOTSTRAP = 1_000_000;

    /** Environment names (without {@code CXR_}) of the settings read by {@link Builder#overrides(SettingSource)}. */
    public static final List<String> VARIABLES = List.of("DATA_DIR", "WORK_DIR", "IMAGE_SIZE", "CHANNELS", "SEED",
            "VAL_FRACTION", "BATCH_SIZE", "MODEL", "SMALL_MODEL", "WEIGHTS", "EPOCHS", "STAGE1_EPOCHS", "LEARNING_RATE",
            "STAGE1_LEARNING_RATE", "STAGE2_EPOCHS", "STAGE2_LEARNING_RATE", "STAGE2_UNFREEZE_LAYERS", "STAGE3_ENABLED",
            "STAGE3_EPOCHS", "STAGE3_LEARNING_RATE", "MAX_IMAGES", "MAX_BATCHES", "EARLY_STOPPING_PATIENCE",
            "REDUCE_LR_PATIENCE", "BOOTSTRAP", "HEAD_ORDER", "COMPARE_FROM_SCRATCH");

    private final Path dataDir;
    private final Path workDir;
    private final int imageSize;
    private final int channels;
    private final long seed;
    private final double valFraction;
    private final int batchSize;
    private final Model model;
    private final String startingWeights;
    private final String headOrder;
    private final int stage1Epochs;
    private final double stage1LearningRate;
    private final int stage2Epochs;
    private final double stage2LearningRate;
    private final int stage2UnfreezeLayers;
    private final boolean stage3Enabled;
    private final int stage3Epochs;
    private final double stage3LearningRate;
    private final long maxImages;
    private final int maxBatches;
    private final int earlyStoppingPatience;
    private final int reduceLrPatience;
    private final int bootstrap;
    private final boolean compareFromScratch;
    private final Map<String, String> origins;

    private RunSettings(Builder b) {
        dataDir = b.dataDir;
        workDir = b.workDir;
        imageSize = b.imageSize;
        channels = b.channels;
        seed = b.seed;
        valFraction = b.valFraction;
        batchSize = b.batchSize;
        model = b.model;
        startingWeights = b.startingWeights;
        headOrder = b.headOrder;
        stage1Epochs = b.stage1Epochs;
        stage1LearningRate = b.stage1LearningRate;
        stage2Epochs = b.stage2Epochs;
        stage2LearningRate = b.stage2LearningRate;
        stage2UnfreezeLayers = b.stage2UnfreezeLayers;
        stage3Enabled = b.stage3Enabled;
        stage3Epochs = b.stage3Epochs;
        stage3LearningRate = b.stage3LearningRate;
        maxImages = b.maxImages;
        maxBatches = b.maxBatches;
        earlyStoppingPatience = b.earlyStoppingPatience;
        reduceLrPatience = b.reduceLrPatience;
        bootstrap = b.bootstrap;
        compareFromScratch = b.compareFromScratch;
        origins = Map.copyOf(b.origins);
    }

    /**
     * The classroom defaults — the only place they are written: DenseNet121 at 128², 3 channels, batch 8, seed 42,
     * 0.2 of the non-test patients for validation, all images; stage 1 (new head on the frozen base) 30 epochs at
     * 1e-3, stage 2 (top dense layer of the last block and {@code bn}) 5 epochs at 1e-4, stage 3 (everything) off;
     * starting weights: the workbook's base; early stopping after 5 epochs without a better validation AUC, learning
     * rate ÷10 after 3; 1000 bootstrap replicates. Folders {@code data/phantom} and {@code output/work} of the
     * repository ({@link WorkbookHome}: named by ./cxr, else found from the working folder, so notebooks in
     * {@code notebooks/} get the same ones).
     */
    public static RunSettings classroom() {
        Builder b = new Builder();
        Path repo = repositoryRoot(Path.of("").toAbsolutePath());
        b.dataDir = repo.resolve("data").resolve("phantom");
        b.workDir = repo.resolve("output").resolve("work");
        b.imageSize = 128;
        b.channels = 3;
        b.seed = 42;
        b.valFraction = 0.2;
        b.batchSize = 8;
        b.model = Model.DENSENET121;
        b.startingWeights = "";
        b.headOrder = "";
        b.stage1Epochs = 30;
        b.stage1LearningRate = 1e-3;
        b.stage2Epochs = 5;
        b.stage2LearningRate = 1e-4;
        b.stage2UnfreezeLayers = 1;
        b.stage3Enabled = false;
        b.stage3Epochs = 5;
        b.stage3LearningRate = 1e-5;
        b.maxImages = 0;
        b.maxBatches = 0;
        b.earlyStoppingPatience = 5;
        b.reduceLrPatience = 3;
        b.bootstrap = 1000;
        b.compareFromScratch = false;
        return b.build();
    }

    /** A builder pre-filled with these settings, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.workDir = workDir;
        b.imageSize = imageSize;
        b.channels = channels;
        b.seed = seed;
        b.valFraction = valFraction;
        b.batchSize = batchSize;
        b.model = model;
        b.startingWeights = startingWeights;
        b.headOrder = headOrder;
        b.stage1Epochs = stage1Epochs;
        b.stage1LearningRate = stage1LearningRate;
        b.stage2Epochs = stage2Epochs;
        b.stage2LearningRate = stage2LearningRate;
        b.stage2UnfreezeLayers = stage2UnfreezeLayers;
        b.stage3Enabled = stage3Enabled;
        b.stage3Epochs = stage3Epochs;
        b.stage3LearningRate = stage3LearningRate;
        b.maxImages = maxImages;
        b.maxBatches = maxBatches;
        b.earlyStoppingPatience = earlyStoppingPatience;
        b.reduceLrPatience = reduceLrPatience;
        b.bootstrap = bootstrap;
        b.compareFromScratch = compareFromScratch;
        b.origins.putAll(origins);
        return b;
    }

    /** The dataset folder (ChestX-ray14 layout). */
    public Path dataDir() { return dataDir; }
    /** The work folder: split, caches, checkpoints, model, history, figures, metrics. */
    public Path workDir() { return workDir; }
    /** Image side in pixels the images are resized to. */
    public int imageSize() { return imageSize; }
    /** Input channels: 1 (grey) or 3 (grey repeated, ImageNet-shaped). */
    public int channels() { return channels; }
    /** Seed of the split, subset, shuffling and initialisation. */
    public long seed() { return seed; }
    /** Fraction of the non-test patients' images held out for validation. */
    public double valFraction() { return valFraction; }
    public int batchSize() { return batchSize; }
    public Model model() { return model; }
    /** The starting-weights setting: "" = the workbook's base, "none" = random initialisation, else a file. */
    public String startingWeights() { return startingWeights; }
    /** Whether training starts from random initialisation ({@code startingWeights = none}). */
    public boolean fromScratch() { return startingWeights.equalsIgnoreCase("none"); }
    /** The named weights file, if {@code startingWeights} names one. */
    public Optional<Path> weightsFile() {
        return startingWeights.isEmpty() || fromScratch() ? Optional.empty() : Optional.of(Path.of(startingWeights));
    }
    /**
     * The output order of a Keras {@code .h5} starting-weights file's 14-way head: "" = assumed from the file name
     * ({@link HeadOrder#assumedFor}: {@code pretrained_model.h5} is the course's order, any other file alphabetical),
     * {@code course}, {@code alphabetical} or a file listing the 14 names.
     */
    public String headOrder() { return headOrder; }
    /** The head order given ({@link #headOrder()} parsed), empty when it is to be assumed from the file name. */
    public Optional<HeadOrder> headOrderGiven() {
        return headOrder.isEmpty() ? Optional.empty() : Optional.of(HeadOrder.parse(headOrder));
    }
    /** Stage 1, the new head on the frozen base: epochs. */
    public int stage1Epochs() { return stage1Epochs; }
    public double stage1LearningRate() { return stage1LearningRate; }
    /** Stage 2, the top of the last dense block fine-tuned: epochs (0 = no stage 2). */
    public int stage2Epochs() { return stage2Epochs; }
    public double stage2LearningRate() { return stage2LearningRate; }
    /** Dense layers at the top of the last dense block unfrozen in stage 2 ({@code bn} always is). */
    public int stage2UnfreezeLayers() { return stage2UnfreezeLayers; }
    /** Stage 3, everything unfrozen (for a GPU or real data): on or off. */
    public boolean stage3Enabled() { return stage3Enabled; }
    public int stage3Epochs() { return stage3Epochs; }
    public double stage3LearningRate() { return stage3LearningRate; }
    /** At most this many images, whole patients (0 = all). */
    public long maxImages() { return maxImages; }
    /** At most this many training batches per epoch (0 = all). */
    public int maxBatches() { return maxBatches; }
    /** Epochs without a better validation AUC before a stage stops (0 = never). */
    public int earlyStoppingPatience() { return earlyStoppingPatience; }
    /** Epochs without a better validation AUC before the learning rate is divided by 10 (0 = never). */
    public int reduceLrPatience() { return reduceLrPatience; }
    /** Bootstrap replicates for confidence intervals (0 = none). */
    public int bootstrap() { return bootstrap; }
    /** Whether notebook 06 trains the small DenseNet from scratch as a comparison arm (else it shows the recorded run). */
    public boolean compareFromScratch() { return compareFromScratch; }

    /** Where each setting changed from its default came from ({@code CXR_EPOCHS}, a builder call, …), by field name. */
    public Map<String, String> origins() { return origins; }

    /** The network of these settings: the model's architecture at this image size and channels, 14 outputs. */
    public DenseNetConfig modelConfig() {
        return model.config().toBuilder().inputSize(imageSize).channels(channels).classes(14).seed(seed).build();
    }

    /** The data part, as saved next to a model ({@code data-settings.json}). */
    public DataSettings dataSettings() {
        return new DataSettings(dataDir, imageSize, channels, batchSize, maxImages, valFraction, seed);
    }

    /**
     * A trainer configuration for one stage ({@code 1}, {@code 2} or {@code 3}) with this run's epochs, learning
     * rate, batch, seed, batch budget and patience; checkpoints under {@code workDir/checkpoints} (stage 1) or
     * {@code workDir/checkpoints-stageN}.
     */
    public TrainerConfig.Builder trainer(int stage) {
        int epochs = switch (stage) {
            case 1 -> stage1Epochs;
            case 2 -> stage2Epochs;
            case 3 -> stage3Epochs;
            default -> throw new IllegalArgumentException("stage must be 1, 2 or 3, got " + stage);
        };
        double lr = stage == 1 ? stage1LearningRate : stage == 2 ? stage2LearningRate : stage3LearningRate;
        Path checkpoints = workDir.resolve(stage == 1 ? "checkpoints" : "checkpoints-stage" + stage);
        return TrainerConfig.builder().epochs(Math.max(epochs, 1)).learningRate(lr).batchSize(batchSize).seed(seed)
                .maxBatchesPerEpoch(maxBatches).earlyStoppingPatience(earlyStoppingPatience)
                .reduceLrPatience(reduceLrPatience).checkpointDir(checkpoints);
    }

    /** The dataset of these settings: {@code dataDir}'s records, cut to {@code maxImages} whole patients (0 = all). */
    public ChestXrayDataset dataset() {
        ChestXrayDataset ds = ChestXrayDataset.load(requireDataFolder().dataDir);
        return maxImages > 0 ? ds.limit(maxImages, seed) : ds;
    }

    /**
     * The patient-wise split of {@code dataset} (from {@link #dataset()}): the one saved in {@code workDir/splits} when
     * it was made with these settings, else computed and saved there, with one line when a split made with other
     * settings is replaced ({@link SavedSplit}).
     */
    public SplitSet split(ChestXrayDataset dataset) {
        return SavedSplit.obtain(dataset, workDir, valFraction, seed, maxImages);
    }

    /** Refuses a data folder that does not exist, naming the setting it came from. */
    public RunSettings requireDataFolder() {
        if (!Files.isDirectory(dataDir)) {
            throw new SettingException(origin("dataDir"), origin("dataDir") + "=" + dataDir
                    + " is not a folder: give the folder holding Data_Entry_2017_v2020.csv and images/");
        }
        return this;
    }

    /** The settings as a JSON-friendly map, keyed by field name. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataDir", dataDir.toString());
        m.put("workDir", workDir.toString());
        m.put("imageSize", imageSize);
        m.put("channels", channels);
        m.put("seed", seed);
        m.put("valFraction", valFraction);
        m.put("batchSize", batchSize);
        m.put("model", model.id());
        m.put("startingWeights", startingWeights);
        m.put("headOrder", headOrder);
        m.put("stage1Epochs", stage1Epochs);
        m.put("stage1LearningRate", stage1LearningRate);
        m.put("stage2Epochs", stage2Epochs);
        m.put("stage2LearningRate", stage2LearningRate);
        m.put("stage2UnfreezeLayers", stage2UnfreezeLayers);
        m.put("stage3Enabled", stage3Enabled);
        m.put("stage3Epochs", stage3Epochs);
        m.put("stage3LearningRate", stage3LearningRate);
        m.put("maxImages", maxImages);
        m.put("maxBatches", maxBatches);
        m.put("earlyStoppingPatience", earlyStoppingPatience);
        m.put("reduceLrPatience", reduceLrPatience);
        m.put("bootstrap", bootstrap);
        m.put("compareFromScratch", compareFromScratch);
        return m;
    }

    /** The fields whose values differ from {@code other}'s, as "name old → new" (empty when equal). */
    public List<String> differences(RunSettings other) {
        List<String> out = new ArrayList<>();
        Map<String, Object> mine = toMap();
        Map<String, Object> theirs = other.toMap();
        mine.forEach((k, v) -> {
            if (!Objects.equals(v, theirs.get(k))) {
                out.add(k + " " + show(theirs.get(k)) + " → " + show(v));
            }
        });
        return out;
    }

    /**
     * The effective settings in four short lines, the last saying which differ from the classroom defaults and
     * where each change came from — what a notebook's Parameters cell shows.
     */
    public String summary() {
        String weights = (startingWeights.isEmpty() ? "the workbook's base" : fromScratch() ? "none (random initialisation)"
                : startingWeights) + (headOrder.isEmpty() ? "" : " (head order " + headOrder + ")");
        String stage2 = stage2Epochs == 0 ? "stage 2 off" : String.format(Locale.ROOT,
                "stage 2 (top %d of %d layers of the last block + bn): %d epochs, lr %s", stage2UnfreezeLayers,
                model.topBlockDepth(), stage2Epochs, show(stage2LearningRate));
        String stage3 = stage3Enabled ? String.format(Locale.ROOT, "stage 3 (all layers): %d epochs, lr %s",
                stage3Epochs, show(stage3LearningRate)) : "stage 3 off";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, %d² × %d channels, batch %d, seed %d, validation %s of the non-test "
                        + "patients, %s%s%n", model.label(), imageSize, channels, batchSize, seed, show(valFraction),
                maxImages == 0 ? "all images" : "at most " + maxImages + " images",
                maxBatches == 0 ? "" : ", at most " + maxBatches + " batches per epoch"));
        sb.append(String.format(Locale.ROOT, "stage 1 (new head, base frozen): %d epochs, lr %s | %s | %s%n",
                stage1Epochs, show(stage1LearningRate), stage2, stage3));
        sb.append(String.format(Locale.ROOT, "weights: %s | early stop after %d, lr ÷10 after %d epochs without a "
                        + "better val AUC | bootstrap %d%n", weights, earlyStoppingPatience, reduceLrPatience, bootstrap));
        sb.append("data ").append(relative(dataDir)).append(" | work ").append(relative(workDir)).append('\n');
        List<String> changed = new ArrayList<>();
        Map<String, Object> defaults = classroom().toMap();
        toMap().forEach((k, v) -> {
            if (!k.endsWith("Dir") && !Objects.equals(v, defaults.get(k))) {
                String from = origins.get(k);
                changed.add(k + "=" + show(v) + (from == null || from.equals(k) ? "" : " (" + from + ")"));
            }
        });
        sb.append(changed.isEmpty() ? "classroom defaults" : "changed from the classroom defaults: "
                + String.join(", ", changed));
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSettings r && toMap().equals(r.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    private String origin(String field) {
        return origins.getOrDefault(field, field);
    }

    private static String show(Object v) {
        return v instanceof Double d ? SettingValues.plain(d) : String.valueOf(v);
    }

    private static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            Path r = cwd.relativize(p.toAbsolutePath().normalize());
            return r.toString().isEmpty() ? "." : r.toString();
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    /** The repository: {@code cxr.home} when ./cxr set it, else the one holding {@code start} ({@link WorkbookHome#root(Path)}). */
    public static Path repositoryRoot(Path start) {
        return WorkbookHome.root(start);
    }

    /** Builder of {@link RunSettings}; setters are named after the setting. Start from {@link #classroom()}. */
    public static final class Builder {
        private Path dataDir;
        private Path workDir;
        private int imageSize;
        private int channels;
        private long seed;
        private double valFraction;
        private int batchSize;
        private Model model;
        private String startingWeights;
        private String headOrder;
        private int stage1Epochs;
        private double stage1LearningRate;
        private int stage2Epochs;
        private double stage2LearningRate;
        private int stage2UnfreezeLayers;
        private boolean stage3Enabled;
        private int stage3Epochs;
        private double stage3LearningRate;
        private long maxImages;
        private int maxBatches;
        private int earlyStoppingPatience;
        private int reduceLrPatience;
        private int bootstrap;
        private boolean compareFromScratch;
        private final Map<String, String> origins = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder set(String field) {
            origins.remove(field); // set in code: messages name the field itself
            return this;
        }

        public Builder dataDir(Path v) { dataDir = Objects.requireNonNull(v, "dataDir"); return set("dataDir"); }
        public Builder workDir(Path v) { workDir = Objects.requireNonNull(v, "workDir"); return set("workDir"); }
        public Builder imageSize(int v) { imageSize = v; return set("imageSize"); }
        public Builder channels(int v) { channels = v; return set("channels"); }
        public Builder seed(long v) { seed = v; return set("seed"); }
        public Builder valFraction(double v) { valFraction = v; return set("valFraction"); }
        public Builder batchSize(int v) { batchSize = v; return set("batchSize"); }
        public Builder model(Model v) { model = Objects.requireNonNull(v, "model"); return set("model"); }
        /** The model by name: {@code densenet121} or {@code small}. */
        public Builder model(String v) {
            model = Model.of(v).orElseThrow(() -> new SettingException("model", "model=" + v
                    + " is not a model: give densenet121 or small."));
            return set("model");
        }
        /** "" (or null) = the workbook's base, "none" = random initialisation, else a .zip or .h5 file. */
        public Builder startingWeights(String v) { startingWeights = v == null ? "" : v.strip(); return set("startingWeights"); }
        /**
         * "" (or null) = assumed from the weights file's name, {@code course}, {@code alphabetical}, or a file listing
         * the 14 findings in the order of the {@code .h5} head's outputs.
         */
        public Builder headOrder(String v) { headOrder = v == null ? "" : v.strip(); return set("headOrder"); }
        public Builder stage1Epochs(int v) { stage1Epochs = v; return set("stage1Epochs"); }
        public Builder stage1LearningRate(double v) { stage1LearningRate = v; return set("stage1LearningRate"); }
        public Builder stage2Epochs(int v) { stage2Epochs = v; return set("stage2Epochs"); }
        public Builder stage2LearningRate(double v) { stage2LearningRate = v; return set("stage2LearningRate"); }
        public Builder stage2UnfreezeLayers(int v) { stage2UnfreezeLayers = v; return set("stage2UnfreezeLayers"); }
        public Builder stage3Enabled(boolean v) { stage3Enabled = v; return set("stage3Enabled"); }
        public Builder stage3Epochs(int v) { stage3Epochs = v; return set("stage3Epochs"); }
        public Builder stage3LearningRate(double v) { stage3LearningRate = v; return set("stage3LearningRate"); }
        public Builder maxImages(long v) { maxImages = v; return set("maxImages"); }
        public Builder maxBatches(int v) { maxBatches = v; return set("maxBatches"); }
        public Builder earlyStoppingPatience(int v) { earlyStoppingPatience = v; return set("earlyStoppingPatience"); }
        public Builder reduceLrPatience(int v) { reduceLrPatience = v; return set("reduceLrPatience"); }
        public Builder bootstrap(int v) { bootstrap = v; return set("bootstrap"); }
        /** Whether notebook 06 trains the small DenseNet from scratch too (about 2 minutes more on two cores). */
        public Builder compareFromScratch(boolean v) { compareFromScratch = v; return set("compareFromScratch"); }

        /**
         * Applies the settings {@code source} holds ({@code CXR_*} variables through {@code Params.environment()}),
         * each read strictly ({@link SettingValues}): a value that is not a number, boolean or path of the allowed
         * kind is refused naming the variable. {@code EPOCHS} sets the epochs of every stage and {@code LEARNING_RATE}
         * stage 1's (what {@code ./cxr test} and older notes use); the stage-specific names win over them.
         * {@code SMALL_MODEL=true|false} is the older spelling of {@code MODEL=small|densenet121}.
         */
        public Builder overrides(SettingSource source) {
            SettingValues.path(source, "DATA_DIR").ifPresent(v -> from(source, "DATA_DIR", "dataDir").dataDir = v);
            SettingValues.path(source, "WORK_DIR").ifPresent(v -> from(source, "WORK_DIR", "workDir").workDir = v);
            SettingValues.whole(source, "IMAGE_SIZE", 1, MAX_IMAGE_SIZE)
                    .ifPresent(v -> from(source, "IMAGE_SIZE", "imageSize").imageSize = v.intValue());
            SettingValues.whole(source, "CHANNELS", 1, 3)
                    .ifPresent(v -> from(source, "CHANNELS", "channels").channels = v.intValue());
            SettingValues.whole(source, "SEED", Long.MIN_VALUE, Long.MAX_VALUE)
                    .ifPresent(v -> from(source, "SEED", "seed").seed = v);
            SettingValues.decimal(source, "VAL_FRACTION", 0, false, 1, false)
                    .ifPresent(v -> from(source, "VAL_FRACTION", "valFraction").valFraction = v);
            SettingValues.whole(source, "BATCH_SIZE", 1, MAX_BATCH_SIZE)
                    .ifPresent(v -> from(source, "BATCH_SIZE", "batchSize").batchSize = v.intValue());
            Optional<Boolean> small = SettingValues.bool(source, "SMALL_MODEL");
            Optional<String> named = SettingValues.choice(source, "MODEL", List.of("densenet121", "small"));
            if (small.isPresent() && named.isPresent() && small.get() != named.get().equals("small")) {
                throw new SettingException(source.origin("MODEL"), source.origin("SMALL_MODEL") + "=" + small.get()
                        + " contradicts " + source.origin("MODEL") + "=" + named.get() + ": set only one of them.");
            }
            small.ifPresent(v -> from(source, "SMALL_MODEL", "model").model = v ? Model.SMALL : Model.DENSENET121);
            named.ifPresent(v -> from(source, "MODEL", "model").model = Model.of(v).orElseThrow());
            SettingValues.string(source, "WEIGHTS")
                    .ifPresent(v -> from(source, "WEIGHTS", "startingWeights").startingWeights = v);
            SettingValues.string(source, "HEAD_ORDER")
                    .ifPresent(v -> from(source, "HEAD_ORDER", "headOrder").headOrder = v);
            SettingValues.whole(source, "EPOCHS", 1, MAX_EPOCHS).ifPresent(v -> {
                from(source, "EPOCHS", "stage1Epochs").stage1Epochs = v.intValue();
                from(source, "EPOCHS", "stage2Epochs").stage2Epochs = v.intValue();
                from(source, "EPOCHS", "stage3Epochs").stage3Epochs = v.intValue();
            });
            SettingValues.whole(source, "STAGE1_EPOCHS", 1, MAX_EPOCHS)
                    .ifPresent(v -> from(source, "STAGE1_EPOCHS", "stage1Epochs").stage1Epochs = v.intValue());
            Optional<Double> lr = SettingValues.decimal(source, "LEARNING_RATE", 0, false, 1, true);
            Optional<Double> lr1 = SettingValues.decimal(source, "STAGE1_LEARNING_RATE", 0, false, 1, true);
            if (lr.isPresent() && lr1.isPresent() && !lr.get().equals(lr1.get())) {
                throw new SettingException(source.origin("STAGE1_LEARNING_RATE"), source.origin("LEARNING_RATE") + "="
                        + SettingValues.plain(lr.get()) + " contradicts " + source.origin("STAGE1_LEARNING_RATE") + "="
                        + SettingValues.plain(lr1.get()) + ": set only one of them.");
            }
            lr.ifPresent(v -> from(source, "LEARNING_RATE", "stage1LearningRate").stage1LearningRate = v);
            lr1.ifPresent(v -> from(source, "STAGE1_LEARNING_RATE", "stage1LearningRate").stage1LearningRate = v);
            SettingValues.whole(source, "STAGE2_EPOCHS", 0, MAX_EPOCHS)
                    .ifPresent(v -> from(source, "STAGE2_EPOCHS", "stage2Epochs").stage2Epochs = v.intValue());
            SettingValues.decimal(source, "STAGE2_LEARNING_RATE", 0, false, 1, true)
                    .ifPresent(v -> from(source, "STAGE2_LEARNING_RATE", "stage2LearningRate").stage2LearningRate = v);
            SettingValues.whole(source, "STAGE2_UNFREEZE_LAYERS", 0, Integer.MAX_VALUE).ifPresent(
                    v -> from(source, "STAGE2_UNFREEZE_LAYERS", "stage2UnfreezeLayers").stage2UnfreezeLayers = v.intValue());
            SettingValues.bool(source, "STAGE3_ENABLED").ifPresent(v -> from(source, "STAGE3_ENABLED", "stage3Enabled").stage3Enabled = v);
            SettingValues.whole(source, "STAGE3_EPOCHS", 1, MAX_EPOCHS)
                    .ifPresent(v -> from(source, "STAGE3_EPOCHS", "stage3Epochs").stage3Epochs = v.intValue());
            SettingValues.decimal(source, "STAGE3_LEARNING_RATE", 0, false, 1, true)
                    .ifPresent(v -> from(source, "STAGE3_LEARNING_RATE", "stage3LearningRate").stage3LearningRate = v);
            SettingValues.whole(source, "MAX_IMAGES", 0, Long.MAX_VALUE)
                    .ifPresent(v -> from(source, "MAX_IMAGES", "maxImages").maxImages = v);
            SettingValues.whole(source, "MAX_BATCHES", 0, Integer.MAX_VALUE)
                    .ifPresent(v -> from(source, "MAX_BATCHES", "maxBatches").maxBatches = v.intValue());
            SettingValues.whole(source, "EARLY_STOPPING_PATIENCE", 0, MAX_PATIENCE).ifPresent(
                    v -> from(source, "EARLY_STOPPING_PATIENCE", "earlyStoppingPatience").earlyStoppingPatience = v.intValue());
            SettingValues.whole(source, "REDUCE_LR_PATIENCE", 0, MAX_PATIENCE).ifPresent(
                    v -> from(source, "REDUCE_LR_PATIENCE", "reduceLrPatience").reduceLrPatience = v.intValue());
            SettingValues.whole(source, "BOOTSTRAP", 0, MAX_BOOTSTRAP)
                    .ifPresent(v -> from(source, "BOOTSTRAP", "bootstrap").bootstrap = v.intValue());
            SettingValues.bool(source, "COMPARE_FROM_SCRATCH").ifPresent(
                    v -> from(source, "COMPARE_FROM_SCRATCH", "compareFromScratch").compareFromScratch = v);
            return this;
        }

        private Builder from(SettingSource source, String name, String field) {
            origins.put(field, source.origin(name));
            return this;
        }

        private String name(String field) {
            String origin = origins.get(field);
            return origin == null ? field : origin + " (" + field + ")";
        }

        private void require(boolean ok, String field, Object value, String allowed) {
            if (!ok) {
                String v = value instanceof Double d ? SettingValues.plain(d) : String.valueOf(value);
                throw new SettingException(origins.getOrDefault(field, field), name(field) + " = " + v + " is not allowed: "
                        + allowed + ".");
            }
        }

        /** Checks every range and the settings against each other; builds the settings or throws a {@link SettingException}. */
        public RunSettings build() {
            int minSize = model.minImageSize();
            require(imageSize >= minSize && imageSize <= MAX_IMAGE_SIZE, "imageSize", imageSize, "give " + minSize
                    + " to " + MAX_IMAGE_SIZE + " pixels for " + model.label() + " (below " + minSize
                    + " its last feature map is empty)");
            require(channels == 1 || channels == 3, "channels", channels, "give 1 (grey) or 3 (grey repeated)");
            require(valFraction > 0 && valFraction < 1, "valFraction", valFraction,
                    "give a fraction between 0 and 1, both excluded, e.g. 0.2");
            require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batchSize", batchSize, "give 1 to " + MAX_BATCH_SIZE);
            requireEpochs("stage1Epochs", stage1Epochs, 1);
            requireEpochs("stage2Epochs", stage2Epochs, 0);
            requireEpochs("stage3Epochs", stage3Epochs, 1);
            requireRate("stage1LearningRate", stage1LearningRate);
            requireRate("stage2LearningRate", stage2LearningRate);
            requireRate("stage3LearningRate", stage3LearningRate);
            int depth = model.topBlockDepth();
            require(stage2UnfreezeLayers >= 0 && stage2UnfreezeLayers <= depth, "stage2UnfreezeLayers",
                    stage2UnfreezeLayers, "the last dense block of " + model.label() + " has " + depth
                            + " layers: give 0 (only bn) to " + depth);
            require(maxImages >= 0, "maxImages", maxImages, "give 0 (all) or more");
            require(maxBatches >= 0, "maxBatches", maxBatches, "give 0 (all) or more");
            require(earlyStoppingPatience >= 0 && earlyStoppingPatience <= MAX_PATIENCE, "earlyStoppingPatience",
                    earlyStoppingPatience, "give 0 (never stop early) to " + MAX_PATIENCE);
            require(reduceLrPatience >= 0 && reduceLrPatience <= MAX_PATIENCE, "reduceLrPatience", reduceLrPatience,
                    "give 0 (never reduce) to " + MAX_PATIENCE);
            require(bootstrap >= 0 && bootstrap <= MAX_BOOTSTRAP, "bootstrap", bootstrap, "give 0 (no intervals) to "
                    + MAX_BOOTSTRAP);
            String w = startingWeights;
            if (!w.isEmpty() && !w.equalsIgnoreCase("none")) {
                String lower = w.toLowerCase(Locale.ROOT);
                require(lower.endsWith(".zip") || lower.endsWith(".h5") || lower.endsWith(".hdf5"), "startingWeights",
                        w, "give empty (the workbook's base), none (random initialisation) or a .zip / .h5 file");
                require(Files.isRegularFile(Path.of(w)), "startingWeights", w, "no such file (from "
                        + Path.of("").toAbsolutePath() + ")");
            }
            if (!headOrder.isEmpty()) {
                String lower = w.toLowerCase(Locale.ROOT);
                require(lower.endsWith(".h5") || lower.endsWith(".hdf5"), "headOrder", headOrder, "a head order says "
                        + "how a Keras .h5/.hdf5 file's 14 outputs are ordered, and the starting weights are "
                        + (w.isEmpty() ? "the workbook's base" : w.equalsIgnoreCase("none") ? "none" : w)
                        + ": name an .h5 file as starting weights, or leave the head order empty");
                try {
                    HeadOrder.parse(headOrder);
                } catch (DataException e) {
                    require(false, "headOrder", headOrder, "give course, alphabetical or a file listing the "
                            + Finding.COUNT + " findings in the head's order (" + e.getMessage() + ")");
                }
            }
            dataDir = dataDir.toAbsolutePath().normalize();
            workDir = workDir.toAbsolutePath().normalize();
            return new RunSettings(this);
        }

        private void requireEpochs(String field, int v, int min) {
            require(v >= min && v <= MAX_EPOCHS, field, v, "give " + min + (min == 0 ? " (stage off)" : "") + " to "
                    + MAX_EPOCHS + " epochs");
        }

        private void requireRate(String field, double v) {
            require(Double.isFinite(v) && v > 0 && v <= 1, field, v, "give a learning rate in (0, 1], e.g. 1e-3");
        }
    }
}
