package org.cxrworkbook.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrworkbook.image.FeaturewiseStats;
import org.cxrworkbook.image.ImageLoader;
import org.cxrworkbook.image.Pixels;
import org.cxrworkbook.image.Standardization;
import org.cxrworkbook.image.Standardizer;

/**
 * How executors turn a film into network input, exactly as the single-machine iterators do: decode, resize to
 * {@code size} (the workbook's {@link ImageLoader}), replicate to {@code channels}, then standardise with the mode of
 * the film's split ({@link Standardization}, with the featurewise statistics fitted on the driver). Serializable so it
 * travels with the task; the standardisers themselves are rebuilt on the executor.
 */
public final class Preprocessing implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int size;
    private final int channels;
    private final Map<String, Standardization.Mode> modes;
    private final float[] mean;
    private final float[] std;
    private final int fitImages;

    private Preprocessing(int size, int channels, Map<String, Standardization.Mode> modes, FeaturewiseStats stats) {
        this.size = size;
        this.channels = channels;
        this.modes = new LinkedHashMap<>(modes);
        this.mean = stats == null ? null : stats.mean().clone();
        this.std = stats == null ? null : stats.std().clone();
        this.fitImages = stats == null ? 0 : stats.images();
    }

    /**
     * The preprocessing of {@code splits} (each "train", "val" or "test") under {@code standardization}, with
     * {@code stats} fitted on training images (may be null when no split is featurewise).
     */
    public static Preprocessing of(int size, int channels, Standardization standardization, FeaturewiseStats stats,
                                   String... splits) {
        Map<String, Standardization.Mode> modes = new LinkedHashMap<>();
        for (String s : splits) {
            Standardization.Mode m = standardization.mode(s);
            if (m == Standardization.Mode.FEATUREWISE && stats == null) {
                throw new IllegalArgumentException("split '" + s + "' is featurewise but no fitted statistics were given");
            }
            modes.put(s, m);
        }
        return new Preprocessing(size, channels, modes, stats);
    }

    /** Image side. */
    public int size() {
        return size;
    }

    /** Channels fed to the network. */
    public int channels() {
        return channels;
    }

    /** Values per film: channels × size × size. */
    public int perFilm() {
        return channels * size * size;
    }

    /** The network input of {@code film}: decoded, resized, replicated and standardised; NCHW values of one film. */
    public float[] prepare(Film film) {
        Standardization.Mode mode = modes.get(film.preprocessing());
        if (mode == null) {
            throw new IllegalArgumentException("film " + film.imageIndex() + ": no preprocessing '" + film.preprocessing()
                    + "' (known: " + modes.keySet() + ")");
        }
        Pixels p = new ImageLoader(r -> Path.of(film.path()), size).loadFile(Path.of(film.path()));
        Pixels x = standardizer(mode).apply(p.replicate(channels));
        return x.data();
    }

    private Standardizer standardizer(Standardization.Mode mode) {
        return switch (mode) {
            case NONE -> Standardizer.none();
            case SAMPLEWISE -> Standardizer.samplewise();
            case FEATUREWISE -> Standardizer.featurewise(new FeaturewiseStats(mean, std, fitImages));
        };
    }

    @Override
    public String toString() {
        return "Preprocessing[" + size + "², " + channels + " channel(s), " + modes
                + (mean == null ? "" : ", featurewise mean " + java.util.Arrays.toString(mean) + " std "
                + java.util.Arrays.toString(std) + " from " + fitImages + " images") + "]";
    }
}
