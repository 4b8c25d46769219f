package org.cxrworkbook.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The patient-wise split computed once — by notebook 02 or whichever notebook or training run needs it first — and
 * saved in {@code WORK/splits/} (the three list files) with what it was made from ({@code split-settings.json}: SHA-256
 * of the data files that define the records, seed, validation fraction, image limit). Every later notebook and training
 * run reads it, so notebooks 04, 05 and 06 use the same training images. A split saved under other settings, or naming
 * images the dataset no longer has, is not reused: one line says why and it is recomputed and saved again.
 */
public final class SavedSplit {

    /** Folder of the split inside the work folder. */
    public static final String FOLDER = "splits";
    /** The settings file beside the lists. */
    public static final String SETTINGS = "split-settings.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a split was made from. */
    public record Key(String dataDigest, long seed, double valFraction, long maxImages) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data_sha256", dataDigest);
            m.put("seed", seed);
            m.put("val_fraction", valFraction);
            m.put("max_images", maxImages);
            return m;
        }

        /** The fields that differ from {@code other}, e.g. "valFraction 0.1 → 0.2" (empty when equal). */
        List<String> differences(Key saved) {
            List<String> d = new ArrayList<>();
            if (!dataDigest.equals(saved.dataDigest)) {
                d.add("data files changed");
            }
            if (seed != saved.seed) {
                d.add("seed " + saved.seed + " → " + seed);
            }
            if (valFraction != saved.valFraction) {
                d.add("valFraction " + saved.valFraction + " → " + valFraction);
            }
            if (maxImages != saved.maxImages) {
                d.add("maxImages " + saved.maxImages + " → " + maxImages);
            }
            return d;
        }
    }

    private SavedSplit() {
    }

    /**
     * The split of {@code dataset} (already cut to {@code maxImages}) saved in {@code workDir}, if it was made with
     * these settings; otherwise computed with {@link ChestXrayDataset#splits(double, long)}, saved, and — when a split
     * made with other settings was there — one line to {@code log} saying so. {@code workDir} null = compute only.
     */
    public static SplitSet obtain(ChestXrayDataset dataset, Path workDir, double valFraction, long seed, long maxImages,
                                  Consumer<String> log) {
        if (workDir == null) {
            return dataset.splits(valFraction, seed);
        }
        Path dir = workDir.resolve(FOLDER);
        Key key = new Key(dataDigest(dataset), seed, valFraction, maxImages);
        Optional<Key> saved = readKey(dir);
        if (saved.isPresent()) {
            List<String> diff = key.differences(saved.get());
            if (diff.isEmpty()) {
                Optional<SplitSet> lists = readLists(dir, dataset);
                if (lists.isPresent()) {
                    return lists.get();
                }
                log.accept("the split saved in " + dir + " names images this dataset does not have: recomputing it");
            } else {
                log.accept("the split saved in " + dir + " was made with other settings (" + String.join(", ", diff)
                        + "): recomputing it");
            }
        }
        SplitSet split = dataset.splits(valFraction, seed);
        save(dir, key, split);
        return split;
    }

    /** As {@link #obtain(ChestXrayDataset, Path, double, long, long, Consumer)}, the line printed to standard output. */
    public static SplitSet obtain(ChestXrayDataset dataset, Path workDir, double valFraction, long seed, long maxImages) {
        return obtain(dataset, workDir, valFraction, seed, maxImages, System.out::println);
    }

    /**
     * SHA-256 over the files that define the records and the official split: Data_Entry and the two official lists, or
     * the course folder's three CSVs ({@link ChestXrayDataset#labelFiles(Path)}).
     */
    public static String dataDigest(Path dataDir) {
        return dataDigest(CourseLayout.detect(dataDir).isPresent() ? ChestXrayDataset.labelFiles(dataDir)
                : List.of(NihFiles.dataEntry(dataDir), dataDir.resolve(NihFiles.TRAIN_VAL_LIST),
                        dataDir.resolve(NihFiles.TEST_LIST)));
    }

    /** {@link #dataDigest(Path)} of a loaded dataset, in the layout it was read with (course file names included). */
    public static String dataDigest(ChestXrayDataset dataset) {
        return dataset.isCourse() ? dataDigest(dataset.labelFiles()) : dataDigest(dataset.root());
    }

    private static String dataDigest(List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(f)) {
                    try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data files " + files + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Key> readKey(Path dir) {
        Path file = dir.resolve(SETTINGS);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
            return Optional.of(new Key((String) m.get("data_sha256"), ((Number) m.get("seed")).longValue(),
                    ((Number) m.get("val_fraction")).doubleValue(), ((Number) m.get("max_images")).longValue()));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Key("unreadable", Long.MIN_VALUE, Double.NaN, -1)); // differs from any real key
        }
    }

    private static Optional<SplitSet> readLists(Path dir, ChestXrayDataset dataset) {
        List<List<ImageRecord>> parts = new ArrayList<>();
        int total = 0;
        for (String name : List.of(NihFiles.TRAIN_LIST, NihFiles.VAL_LIST, NihFiles.TEST_LIST)) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            List<ImageRecord> part = new ArrayList<>();
            for (String image : SplitLists.read(f, new ArrayList<>()).keySet()) {
                Optional<ImageRecord> r = dataset.record(image);
                if (r.isEmpty()) {
                    return Optional.empty();
                }
                part.add(r.get());
            }
            total += part.size();
            parts.add(List.copyOf(part));
        }
        if (total != dataset.records().size()) {
            return Optional.empty();
        }
        return Optional.of(new SplitSet(parts.get(0), parts.get(1), parts.get(2)));
    }

    private static void save(Path dir, Key key, SplitSet split) {
        SplitLists.write(dir, split);
        Map<String, Object> m = key.toMap();
        m.put("images", Map.of("train", split.train().size(), "val", split.val().size(), "test", split.test().size()));
        AtomicFiles.write(dir.resolve(SETTINGS), out -> JSON.writeValue(out, m));
    }
}
