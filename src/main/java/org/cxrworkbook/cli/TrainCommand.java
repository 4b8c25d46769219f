package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.plot.Charts;
import org.cxrworkbook.plot.TrainingPlots;
import org.cxrworkbook.train.TrainingRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr train}: trains the DenseNet on a ChestX-ray14-layout folder with checkpoints, curves and resume. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train DenseNet121 (or --small) with the class-weighted loss; writes WORK/model.zip, "
                + "WORK/history.json, WORK/figures/training-curves.png and per-epoch checkpoints in WORK/checkpoints.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "dataset folder (DATA_DIR; default: ${DEFAULT-VALUE})")
    Path data = Path.of("data", "phantom");

    @Option(names = "--work", description = "work folder for model, history, figures, checkpoints (WORK_DIR; default: ${DEFAULT-VALUE})")
    Path work = Path.of("output", "work");

    @Option(names = "--size", description = "image side in pixels (IMAGE_SIZE; default: ${DEFAULT-VALUE})")
    int size = 64;

    @Option(names = "--channels", description = "input channels, 1 or 3 (CHANNELS; default: ${DEFAULT-VALUE})")
    int channels = 3;

    @Option(names = "--epochs", description = "epochs in total (EPOCHS; default: ${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--batch", description = "batch size (BATCH_SIZE; default: ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--lr", description = "Adam learning rate (LEARNING_RATE; default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--small", description = "the small DenseNet variant (SMALL_MODEL)")
    boolean small;

    @Option(names = "--weights", description = "starting weights: Keras .h5 or DL4J .zip (WEIGHTS); default: "
            + "densenet-phantom-base.zip in WORK or data/weights if present, else scratch")
    Path weights;

    @Option(names = "--scratch", description = "random initialisation even where a phantom base exists")
    boolean scratch;

    @Option(names = "--freeze-up-to", description = "freeze the base up to this vertex, e.g. avg_pool, and train a new head (FREEZE_UP_TO)")
    String freezeUpTo;

    @Option(names = "--resume", description = "continue from the last complete checkpoint in WORK/checkpoints")
    boolean resume;

    @Option(names = "--max-batches", description = "at most N batches per epoch, 0 = all (MAX_BATCHES; default: ${DEFAULT-VALUE})")
    int maxBatches;

    @Option(names = "--max-images", description = "at most N images, whole patients, 0 = all (MAX_IMAGES; default: ${DEFAULT-VALUE})")
    long maxImages;

    @Option(names = "--seed", description = "seed of split, shuffling and initialisation (SEED; default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--patience", description = "early-stopping patience on val AUC, 0 = off (default: ${DEFAULT-VALUE})")
    int patience = 5;

    @Option(names = "--workers", description = "data-parallel workers through DL4J's ParallelWrapper, one per GPU; "
            + "1 = single model, more brings nothing on a CPU (WORKERS; default: ${DEFAULT-VALUE})")
    int workers = 1;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        TrainingRecipe.Options o = TrainingRecipe.options().dataDir(data).workDir(work).imageSize(size).channels(channels)
                .epochs(epochs).batchSize(batch).learningRate(lr).small(small).weights(weights).fromScratch(scratch).freezeUpTo(freezeUpTo)
                .resume(resume).maxBatches(maxBatches).maxImages(maxImages).seed(seed).earlyStoppingPatience(patience)
                .progress(!quiet).workers(workers);
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
}
