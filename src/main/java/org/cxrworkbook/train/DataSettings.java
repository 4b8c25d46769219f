package org.cxrworkbook.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.NihFiles;
import org.cxrworkbook.data.RunFirstException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The data a model was trained on — folder, image size and channels, subset and split — saved next to the
 * model so that evaluation (notebooks 07–08, {@code roc}, {@code gradcam}) rebuilds exactly the same test
 * split and preprocessing instead of repeating the parameters by hand. {@code phantom} says whether the data folder
 * is a phantom set (it holds {@link NihFiles#PHANTOM_MARKER}), so evaluation need not guess from the folder's name.
 */
public record DataSettings(Path dataDir, int imageSize, int channels, int batchSize, long maxImages,
                           double valFraction, long seed, boolean phantom) {

    /** File name inside the work folder. */
    public static final String FILE = "data-settings.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DataSettings {
        if (imageSize < 8 || channels < 1 || batchSize < 1 || maxImages < 0 || valFraction < 0 || valFraction >= 1) {
            throw new IllegalArgumentException("invalid data settings: size " + imageSize + ", channels " + channels
                    + ", batch " + batchSize + ", max images " + maxImages + ", val fraction " + valFraction);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Settings whose phantom flag is read from the data folder (its {@link NihFiles#PHANTOM_MARKER}). */
    public DataSettings(Path dataDir, int imageSize, int channels, int batchSize, long maxImages, double valFraction,
                        long seed) {
        this(dataDir, imageSize, channels, batchSize, maxImages, valFraction, seed, NihFiles.isPhantom(dataDir));
    }

    /** Writes {@code workDir/data-settings.json} (temp file + rename) and returns its path. */
    public Path save(Path workDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_dir", dataDir.toString());
        m.put("image_size", imageSize);
        m.put("channels", channels);
        m.put("batch_size", batchSize);
        m.put("max_images", maxImages);
        m.put("val_fraction", valFraction);
        m.put("seed", seed);
        m.put("phantom", phantom);
        Path file = workDir.resolve(FILE);
        return org.cxrworkbook.data.AtomicFiles.write(file, out -> JSON.writeValue(out, m));
    }

    /** Reads the settings notebook 06 / {@code train} saved in {@code workDir}. */
    public static DataSettings read(Path workDir) {
        Path file = workDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new RunFirstException("06-densenet-training.ipynb", "./cxr train", file);
        }
        try {
            Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
            Path dataDir = Path.of((String) m.get("data_dir"));
            // settings saved before the flag existed: read it from the data folder
            boolean phantom = m.get("phantom") instanceof Boolean b ? b : NihFiles.isPhantom(dataDir);
            return new DataSettings(dataDir, ((Number) m.get("image_size")).intValue(),
                    ((Number) m.get("channels")).intValue(), ((Number) m.get("batch_size")).intValue(),
                    ((Number) m.get("max_images")).longValue(), ((Number) m.get("val_fraction")).doubleValue(),
                    ((Number) m.get("seed")).longValue(), phantom);
        } catch (IOException | RuntimeException e) {
            throw new DataException(file.toString(), 0, "unreadable training settings: " + e.getMessage(), e);
        }
    }
}
