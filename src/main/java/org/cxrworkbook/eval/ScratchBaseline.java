package org.cxrworkbook.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.CourseLayout;
import org.cxrworkbook.data.ImageLocator;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.BaseFile;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Notebook 06's first comparison arm, the small DenseNet trained from random weights on the same split: trained in
 * this run when {@code compareFromScratch} is on (about two minutes on two cores, which the classroom run does not
 * spend), otherwise the recorded run of exactly these settings and this split — its test predictions re-scored here,
 * labelled as recorded — or no arm, with a line saying why.
 *
 * <p>A record is two files: {@code NAME.json} (the recipe, SHA-256 digests of the train/val/test image lists and of the
 * test films' bytes, seconds,
 * when and how it was made) and {@code NAME-predictions.csv} (the test predictions, {@link PredictionsCsv}'s format).
 * Every run that trains the arm writes one to {@code WORK/metrics/small-from-scratch.*}; the classroom's is committed
 * as {@code data/weights/classroom-small-from-scratch.*}.
 */
public final class ScratchBaseline {

    /** File name stem of a record in the work folder's metrics/. */
    public static final String WORK_RECORD = "small-from-scratch";
    /** File name stem of the committed classroom record in {@code data/weights/}. */
    public static final String CLASSROOM_RECORD = "classroom-small-from-scratch";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT = "cxr-workbook small-from-scratch record 1";

    /** The arm (absent when neither trained nor recorded for these settings) and one line on where it came from. */
    public record Outcome(Optional<TransferComparison.Arm> arm, String note) {
    }

    private ScratchBaseline() {
    }

    /**
     * Trains the arm when {@code settings.compareFromScratch()} (and records it in {@code WORK/metrics/}), else reads
     * the first record that matches these settings and split: the work folder's, then the repository's classroom one.
     */
    public static Outcome of(RunSettings settings, SplitSet splits) {
        if (settings.compareFromScratch()) {
            long t0 = System.nanoTime();
            TransferComparison.Arm arm = TransferComparison.smallFromScratch(settings);
            write(settings, splits, arm, settings.workDir().resolve("metrics").resolve(WORK_RECORD + ".json"));
            return new Outcome(Optional.of(arm), String.format(Locale.ROOT, "small DenseNet from scratch: trained in "
                    + "this run (%.0f s), recorded in %s", (System.nanoTime() - t0) / 1e9,
                    settings.workDir().resolve("metrics").resolve(WORK_RECORD + ".json")));
        }
        List<Path> candidates = List.of(settings.workDir().resolve("metrics").resolve(WORK_RECORD + ".json"),
                RunSettings.repositoryRoot(Path.of("").toAbsolutePath()).resolve("data").resolve("weights")
                        .resolve(CLASSROOM_RECORD + ".json"));
        List<String> reasons = new ArrayList<>();
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Map<String, Object> record = readJson(file);
            List<String> differences = differences(settings, splits, record);
            if (differences.isEmpty()) {
                return read(settings, splits, file, record);
            }
            reasons.add(file.getFileName() + " was made with " + String.join(", ", differences));
        }
        return new Outcome(Optional.empty(), "small DenseNet from scratch: not trained in this run (set "
                + ".compareFromScratch(true) in the Parameters cell, or CXR_COMPARE_FROM_SCRATCH=true, to train it: about 2–4 "
                + "minutes)"
                + (reasons.isEmpty() ? " and no recorded run was found" : "; no recorded run fits these settings: "
                + String.join("; ", reasons)));
    }

    /** What a record must match: the small arm's recipe, the three image lists and the test films' pixels. */
    static Map<String, Object> key(RunSettings s, SplitSet splits) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("image_size", s.imageSize());
        k.put("channels", s.channels());
        k.put("seed", s.seed());
        k.put("val_fraction", s.valFraction());
        k.put("batch_size", s.batchSize());
        k.put("max_images", s.maxImages());
        k.put("max_batches", s.maxBatches());
        k.put("epochs", TransferComparison.smallScratchEpochs(s));
        k.put("learning_rate", TransferComparison.SMALL_SCRATCH_LEARNING_RATE);
        k.put("early_stopping_patience", s.earlyStoppingPatience());
        k.put("reduce_lr_patience", s.reduceLrPatience());
        k.put("train_sha256", digest(splits.train()));
        k.put("val_sha256", digest(splits.val()));
        k.put("test_sha256", digest(splits.test()));
        k.put("test_films_sha256", filmsDigest(s.dataDir(), splits.test()));
        return k;
    }

    /**
     * SHA-256 over the bytes of the test films (name, then file) in split order: the recorded predictions are of
     * these pixels, and the same names may hold other films (a phantom drawn by another renderer). A film that is not
     * there counts as its name alone, so a record made elsewhere is refused rather than failing.
     */
    static String filmsDigest(Path dataDir, List<ImageRecord> films) {
        ImageLocator images = CourseLayout.detect(dataDir).map(l -> ImageLocator.folder(dataDir.resolve(l.imagesDir())))
                .orElseGet(() -> ImageLocator.index(dataDir));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (ImageRecord r : films) {
                md.update((r.imageIndex() + "\n").getBytes(StandardCharsets.UTF_8));
                Optional<Path> file = images.find(r.imageIndex());
                if (file.isPresent()) {
                    md.update(Files.readAllBytes(file.get()));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a test film of " + dataDir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code file} and its predictions CSV next to it (each via a temporary file, renamed into place). */
    static void write(RunSettings s, SplitSet splits, TransferComparison.Arm arm, Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("key", key(s, splits));
        m.put("seconds", arm.seconds());
        m.put("trainable_params", arm.trainableParams());
        m.put("test_mean_auc", arm.meanAuc());
        m.put("recorded", Instant.now().toString());
        m.put("how", "notebook 06 with compareFromScratch on (e.g. CXR_COMPARE_FROM_SCRATCH=true ./cxr run)");
        arm.test().write(predictionsFile(file));   // atomic (PredictionsCsv), before the record that names it
        AtomicFiles.write(file, out -> JSON.writeValue(out, m));
    }

    /** Each key entry of the (parsed) record that differs from these settings, as "name recorded (now current)". */
    static List<String> differences(RunSettings s, SplitSet splits, Map<String, Object> record) {
        if (!FORMAT.equals(record.get("format")) || !(record.get("key") instanceof Map<?, ?> recorded)) {
            return List.of("another format than \"" + FORMAT + "\"");
        }
        List<String> out = new ArrayList<>();
        key(s, splits).forEach((name, now) -> {
            Object then = recorded.get(name);
            if (!Objects.equals(String.valueOf(then), String.valueOf(now))) {
                out.add(name.equals("test_films_sha256") ? "other test films (the same names, other pixels)"
                        : name.endsWith("_sha256") ? "another " + name.replace("_sha256", "") + " split"
                        : name + " " + then + " (now " + now + ")");
            }
        });
        return out;
    }

    private static Outcome read(RunSettings s, SplitSet splits, Path file, Map<String, Object> record) {
        Predictions p = Predictions.read(predictionsFile(file));
        List<String> expected = splits.test().stream().map(ImageRecord::imageIndex).toList();
        if (!p.imageIndex().equals(expected)) {
            throw new IllegalStateException(predictionsFile(file) + " does not hold the " + expected.size()
                    + " test images of the split its record " + file.getFileName() + " names: the pair is damaged; "
                    + "delete both files or record them again");
        }
        for (org.cxrworkbook.data.Finding f : org.cxrworkbook.data.Finding.all()) {
            int[] now = splits.test().stream().mapToInt(r -> Math.round(r.multiHot()[f.ordinal()])).toArray();
            if (!java.util.Arrays.equals(now, p.labels(f))) {
                throw new IllegalStateException(predictionsFile(file) + ": the recorded " + f + " labels differ from "
                        + "the dataset's for the same test images: the data changed since it was recorded; delete "
                        + file.getFileName() + " and its predictions file or record them again");
            }
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        ((Map<?, ?>) record.get("seconds")).forEach((k, v) -> seconds.put(String.valueOf(k), ((Number) v).doubleValue()));
        String when = String.valueOf(record.get("recorded"));
        String date = when.length() >= 10 ? when.substring(0, 10) : when;
        TransferComparison.Arm arm = TransferComparison.arm("small DenseNet from scratch (recorded " + date
                        + ", not retrained)", p, seconds, ((Number) record.get("trainable_params")).longValue(),
                s.bootstrap(), s.seed());
        return new Outcome(Optional.of(arm), "small DenseNet from scratch: not trained in this run; its test predictions "
                + "were recorded on " + date + " with the same settings and split (" + file + ") and are scored here");
    }

    private static Path predictionsFile(Path record) {
        String name = record.getFileName().toString().replaceFirst("\\.json$", "");
        return record.resolveSibling(name + "-predictions.csv");
    }

    private static Map<String, Object> readJson(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the small-from-scratch record " + file + ": " + e.getMessage(), e);
        }
    }

    private static String digest(List<ImageRecord> records) {
        return BaseFile.sha256(String.join(",", records.stream().map(ImageRecord::imageIndex).toList()));
    }
}
