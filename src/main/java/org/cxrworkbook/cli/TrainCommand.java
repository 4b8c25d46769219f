package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.plot.Charts;
import org.cxrworkbook.plot.TrainingPlots;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.SettingException;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.StartingWeights;
import org.cxrworkbook.train.TrainingRecipe;
import org.cxrworkbook.train.WorkLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr train}: trains the DenseNet on a ChestX-ray14-layout folder with checkpoints, curves and resume. */
@Command(name = "train", mixinStandardHelpOptions = true, defaultValueProvider = ClassroomDefaults.class,
        description = "Train DenseNet121 (or --small) with the class-weighted loss; writes WORK/model.zip, "
                + "WORK/history.json and WORK/figures/training-curves.png. By default the staged transfer recipe from the "
                + "workbook's pretrained base: stage 1 a new head on the frozen base, stage 2 the top block fine-tuned, "
                + "both from the base's activations cached in WORK/feature-cache; --scratch, --resume, --freeze-up-to "
                + "or --single-stage train the whole network in one stage on the images, with per-epoch checkpoints in "
                + "WORK/checkpoints.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "dataset folder (DATA_DIR; default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--work", description = "work folder for model, history, figures, checkpoints (WORK_DIR; default: ${DEFAULT-VALUE})")
    Path work;

    /** Size, channels, model, unfrozen layers, head order, image limit, seed: shared with spark-features. */
    @Mixin
    FeatureKeyOptions key;

    @Option(names = "--epochs", description = "single-stage: epochs in total (default: the stage-1 epochs)")
    Integer epochs;

    @Option(names = "--batch", description = "batch size (BATCH_SIZE; default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", converter = StrictDecimal.class,
            description = "single-stage: Adam learning rate (default: the stage-1 learning rate)")
    Double lr;

    @Option(names = "--single-stage", description = "train the whole network in one stage on the images (the trainer "
            + "without feature cache); implied by --scratch, --resume and --freeze-up-to")
    boolean singleStage;

    @Option(names = "--stage1-epochs", description = "staged: epochs of the new head on the frozen base (STAGE1_EPOCHS; default: ${DEFAULT-VALUE})")
    int stage1Epochs;

    @Option(names = "--stage1-lr", converter = StrictDecimal.class,
            description = "staged: learning rate of stage 1 (STAGE1_LEARNING_RATE; default: ${DEFAULT-VALUE})")
    double stage1Lr;

    @Option(names = "--stage2-epochs", description = "staged: epochs of the fine-tuned top block, 0 = head only (STAGE2_EPOCHS; default: ${DEFAULT-VALUE})")
    int stage2Epochs;

    @Option(names = "--stage2-lr", converter = StrictDecimal.class,
            description = "staged: learning rate of stage 2 (STAGE2_LEARNING_RATE; default: ${DEFAULT-VALUE})")
    double stage2Lr;

    @Option(names = "--stage3-epochs", description = "staged: epochs of stage 3, everything unfrozen on the images; 0 = off "
            + "(STAGE3_EPOCHS; default: 0)")
    int stage3Epochs;

    @Option(names = "--stage3-lr", converter = StrictDecimal.class,
            description = "staged: learning rate of stage 3 (STAGE3_LEARNING_RATE; default: ${DEFAULT-VALUE})")
    double stage3Lr;

    @Option(names = "--weights", description = "starting weights: Keras .h5 or DL4J .zip (WEIGHTS); default: "
            + "densenet-phantom-base.zip in WORK or data/weights if present, else scratch")
    Path weights;

    @Option(names = "--scratch", description = "random initialisation even where a phantom base exists")
    boolean scratch;

    @Option(names = "--freeze-up-to", description = "freeze the base up to this vertex, e.g. avg_pool, and train a new head (FREEZE_UP_TO)")
    String freezeUpTo;

    @Option(names = "--resume", description = "continue from the last complete checkpoint in WORK/checkpoints")
    boolean resume;

    @Option(names = "--force", description = "with --resume: continue even when the checkpoint was made with other "
            + "settings (data, seed, batch, size, model, learning rate, ...; they are listed)")
    boolean force;

    @Option(names = "--max-batches", description = "at most N batches per epoch, 0 = all (MAX_BATCHES; default: ${DEFAULT-VALUE})")
    int maxBatches;

    @Option(names = "--patience", description = "early-stopping patience on val AUC, 0 = off (default: ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--workers", description = "data-parallel workers through DL4J's ParallelWrapper, one per GPU; "
            + "1 = single model, more brings nothing on a CPU (WORKERS; default: ${DEFAULT-VALUE})")
    int workers = 1;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    /** The run settings these options give: the classroom defaults with each option applied, checked. */
    RunSettings settings() {
        return key.addTo(new OptionSettings()).put("DATA_DIR", "--data", data).put("WORK_DIR", "--work", work)
                .put("BATCH_SIZE", "--batch", batch)
                .put("STAGE1_EPOCHS", "--stage1-epochs", stage1Epochs).put("STAGE1_EPOCHS", "--epochs", epochs)
                .put("STAGE1_LEARNING_RATE", "--stage1-lr", stage1Lr).put("STAGE1_LEARNING_RATE", "--lr", lr)
                .put("STAGE2_EPOCHS", "--stage2-epochs", stage2Epochs).put("STAGE2_LEARNING_RATE", "--stage2-lr", stage2Lr)
                .put("STAGE3_ENABLED", "--stage3-epochs", stage3Epochs > 0 ? "true" : null)
                .put("STAGE3_EPOCHS", "--stage3-epochs", stage3Epochs > 0 ? stage3Epochs : null)
                .put("STAGE3_LEARNING_RATE", "--stage3-lr", stage3Lr)
                .put("WEIGHTS", scratch ? "--scratch" : "--weights", scratch ? "none" : weights)
                .put("MAX_BATCHES", "--max-batches", maxBatches)
                .put("EARLY_STOPPING_PATIENCE", "--patience", patience).settings();
    }

    @Override
    public Integer call() {
        if (force && !resume) {
            System.err.println("cxr train: --force only applies with --resume (it resumes a checkpoint made with other settings)");
            return 2;
        }
        boolean single = singleStage || scratch || resume || (freezeUpTo != null && !freezeUpTo.isBlank());
        RunSettings settings;
        try {
            settings = settings();
        } catch (SettingException e) {
            System.err.println("cxr train: " + e.getMessage());
            return 2;
        }
        TrainingRecipe.Options o = TrainingRecipe.options().settings(settings).freezeUpTo(freezeUpTo).resume(resume)
                .force(force).progress(!quiet).workers(workers);
        try (WorkLock lock = WorkLock.acquire(settings.workDir(), "cxr train")) {
            return single ? single(o) : staged(o);
        }
    }

    private int single(TrainingRecipe.Options o) {
        TrainingRecipe.Outcome out = TrainingRecipe.of(o).run();
        Path png = Charts.savePng(TrainingPlots.curves(out.history()), work.resolve("figures").resolve("training-curves.png"));
        System.out.println(out.data().describe());
        System.out.println("started from: " + out.startedFrom());
        System.out.println(out.history());
        System.out.printf("best val mean AUC %.4f (epoch %s)%n", out.history().bestValMeanAuc(),
                out.history().bestEpoch().isPresent() ? out.history().bestEpoch().getAsInt() : "-");
        System.out.println("model: " + out.modelFile() + "\nhistory: " + work.resolve("history.json") + "\ncurves: " + png);
        return 0;
    }

    private int staged(TrainingRecipe.Options o) {
        if (epochs != null || lr != null) {
            throw new IllegalArgumentException("--epochs and --lr belong to the single-stage trainer (--single-stage, "
                    + "--scratch): the staged recipe takes --stage1-epochs/--stage1-lr and --stage2-epochs/--stage2-lr");
        }
        StagedTraining.Plan plan = StagedTraining.Plan.of(o);
        if (plan.weights() == null) {
            throw new IllegalArgumentException("no pretrained base for " + (key.small() ? "the small DenseNet" : "DenseNet121")
                    + " found (" + (key.small() ? StartingWeights.PHANTOM_BASE : StartingWeights.PHANTOM_BASE_121)
                    + " in " + work + " or data/weights/): give --weights FILE, or --scratch to train the whole network "
                    + "from random weights");
        }
        StagedTraining.Outcome out = StagedTraining.of(plan).run();
        Path png = Charts.savePng(TrainingPlots.curves(out.history()), work.resolve("figures").resolve("training-curves.png"));
        for (StagedTraining.StageResult s : out.stages()) {
            System.out.printf(java.util.Locale.ROOT, "stage %d (%s): %d epochs, %.1f s, %,d trainable parameters, best val "
                            + "mean AUC %.4f; %s%n", s.stage(), s.name(), s.history().size(), s.seconds(), s.trainableParams(),
                    s.history().bestValMeanAuc(), s.history().stopReason());
        }
        System.out.println(out.choice());
        System.out.println("model: " + out.modelFile() + " (" + out.graph().numParams() + " parameters)\nhistory: "
                + work.resolve("history.json") + "\ncurves: " + png);
        return 0;
    }
}
