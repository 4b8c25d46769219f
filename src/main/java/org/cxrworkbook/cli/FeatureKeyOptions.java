package org.cxrworkbook.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import org.cxrworkbook.train.RunSettings;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

/**
 * The options that decide the frozen base's activations and so the feature cache's key — image size, channels, model,
 * unfrozen layers (the boundary), head order, image limit, seed (split and featurewise fit) — as one picocli mixin shared
 * by {@code train} and the Spark job's {@code spark-features}: the same words give the same settings, so features
 * computed on Spark are found by training. Defaults come from the command's {@link ClassroomDefaults}, or, in a command
 * whose other options have defaults of their own, from {@link Defaults}.
 */
public final class FeatureKeyOptions {

    /** The classroom defaults of these options only (a command's own options keep their annotated defaults). */
    public static final class Defaults implements IDefaultValueProvider {
        private final ClassroomDefaults classroom = new ClassroomDefaults();

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg.userObject() instanceof Field f && f.getDeclaringClass() == FeatureKeyOptions.class
                    ? classroom.defaultValue(arg) : null;
        }
    }

    @Option(names = "--size", description = "image side in pixels (IMAGE_SIZE; default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--channels", description = "input channels, 1 or 3 (CHANNELS; default: ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--small", description = "the small DenseNet variant (SMALL_MODEL)")
    boolean small;

    @Option(names = "--unfreeze-layers", description = "staged: dense layers of the last block unfrozen in stage 2, "
            + "plus bn and the head (STAGE2_UNFREEZE_LAYERS; default: ${DEFAULT-VALUE})")
    int unfreezeLayers;

    @Option(names = "--head-order", paramLabel = "ORDER", description = "the 14 outputs of a Keras --weights file's head: "
            + "course, alphabetical or a file listing the 14 names (HEAD_ORDER; default: course for pretrained_model.h5, "
            + "else alphabetical; the run says which)")
    String headOrder;

    @Option(names = "--max-images", description = "at most N images, whole patients, 0 = all (MAX_IMAGES; default: ${DEFAULT-VALUE})")
    long maxImages;

    @Option(names = "--seed", description = "seed of split, shuffling and initialisation (SEED; default: ${DEFAULT-VALUE})")
    long seed;

    /** Adds these options to {@code s}, each under its setting and option name. */
    OptionSettings addTo(OptionSettings s) {
        return s.put("IMAGE_SIZE", "--size", size).put("CHANNELS", "--channels", channels)
                .put("MODEL", "--small", small ? "small" : null)
                .put("STAGE2_UNFREEZE_LAYERS", "--unfreeze-layers", unfreezeLayers)
                .put("HEAD_ORDER", "--head-order", headOrder)
                .put("MAX_IMAGES", "--max-images", maxImages).put("SEED", "--seed", seed);
    }

    /**
     * The classroom settings with these options and the given data folder, work folder and starting weights applied
     * and checked; a refused value names the option ({@code workOption}, {@code weightsOption} for the last two).
     */
    public RunSettings settings(Path data, Path work, String workOption, Path weights, String weightsOption) {
        return addTo(new OptionSettings().put("DATA_DIR", "--data", data).put("WORK_DIR", workOption, work)
                .put("WEIGHTS", weightsOption, weights)).settings();
    }

    /** Whether the small DenseNet was asked for. */
    public boolean small() {
        return small;
    }
}
