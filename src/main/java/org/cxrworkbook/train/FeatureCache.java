package org.cxrworkbook.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * One folder on disk ({@code WORK/feature-cache/}) holding the frozen base's activations at the stage boundary for
 * the train, val and test splits: {@code train.bin}, {@code val.bin}, {@code test.bin} (ND4J {@link DataSet} files:
 * activations + labels, float32) and {@code manifest.json}, written last, with the {@link Key} the activations were
 * computed for and the SHA-256 and size of every file.
 *
 * <p>A read returns the activations only if the manifest's key equals the requested one and every file's checksum
 * matches; otherwise it says in one line why (other settings, naming the fields that differ; a damaged file) and
 * the caller rebuilds. Each file is written to a temporary file and renamed; the old manifest is deleted before a
 * rebuild, so an interrupted rebuild never leaves a cache that looks valid.
 */
public final class FeatureCache {

    /** Folder name under the work folder. */
    public static final String FOLDER = "feature-cache";
    static final String MANIFEST = "manifest.json";
    private static final List<String> SPLITS = List.of("train", "val", "test");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What the cached activations depend on, field by field (base weights' SHA-256, boundary vertex, model, data
     * files' digests, split membership, preprocessing, image size, channels); equal keys mean equal activations.
     */
    public record Key(Map<String, Object> fields) {
        public Key {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** SHA-256 over the fields in order. */
        public String sha256() {
            return BaseFile.sha256(fields.toString());
        }

        /** Names of the fields whose values differ from {@code other}'s (or exist in only one). */
        public List<String> differences(Key other) {
            List<String> d = new ArrayList<>();
            for (String k : fields.keySet()) {
                if (!Objects.equals(String.valueOf(fields.get(k)), String.valueOf(other.fields.get(k)))) {
                    d.add(k);
                }
            }
            other.fields.keySet().stream().filter(k -> !fields.containsKey(k)).forEach(d::add);
            return d;
        }
    }

    /** Cached activations of the three splits (empty split = a DataSet with no rows is stored as null). */
    public record Entry(Key key, DataSet train, DataSet val, DataSet test, long bytes) {
    }

    private final Path dir;

    /** The cache folder {@code workDir/feature-cache}. */
    public FeatureCache(Path workDir) {
        this.dir = workDir.resolve(FOLDER);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Fails now, naming the folder, if the cache cannot be written there (read-only, not a folder, full disk):
     * called before any image is decoded or any training starts.
     */
    public void requireWritable() {
        requireWritable(dir, "WORK_DIR");
    }

    /**
     * Fails now, naming {@code folder} and the setting that chooses it ({@code setting}, e.g. {@code WORK_DIR}), if
     * cache files cannot be written there: creates the folder and writes and deletes a 4 KB probe. For writers that
     * assemble a cache elsewhere and move it into place (the Spark job stages it beside {@code feature-cache}).
     */
    public static void requireWritable(Path folder, String setting) {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".feature-cache.probe", ".tmp");
            Files.write(probe, new byte[4096]);
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("the feature cache folder " + folder + " cannot be written (" + e
                    + "): free space there, make it writable, or choose another " + setting);
        }
    }

    /**
     * Names, sizes and modification times of the files in the cache folder (empty when there is none): it changes
     * whenever the cache on disk does, so an in-memory copy can be trusted only while it is the same.
     */
    public String fingerprint() {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (var files = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.sorted().toList()) {
                sb.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
            return sb.toString();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * The cached activations for {@code key}, or empty (with one line to {@code log} saying why: nothing cached yet,
     * built for other settings, a file damaged) when they must be rebuilt.
     */
    public Optional<Entry> read(Key key, Consumer<String> log) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            log.accept("feature cache: nothing cached in " + dir + " yet; computing the base's activations once");
            return Optional.empty();
        }
        Map<?, ?> m;
        try {
            m = JSON.readValue(manifest.toFile(), Map.class);
        } catch (IOException e) {
            log.accept("feature cache: " + manifest + " is unreadable (" + e.getMessage() + "): rebuilding");
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Key cached = new Key((Map<String, Object>) m.get("key"));
        if (!key.sha256().equals(m.get("key_sha256")) || !cached.differences(key).isEmpty()) {
            log.accept("feature cache in " + dir + " was built for other settings (" + String.join(", ",
                    cached.differences(key)) + " differ): rebuilding, not reusing it");
            return Optional.empty();
        }
        Map<?, ?> files = (Map<?, ?>) m.get("files");
        DataSet[] sets = new DataSet[3];
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            Map<?, ?> f = (Map<?, ?>) files.get(SPLITS.get(i));
            if (f == null) {
                continue;
            }
            Path file = dir.resolve((String) f.get("file"));
            if (!Files.isRegularFile(file)) {
                log.accept("feature cache file " + file + " is missing: rebuilding the cache");
                return Optional.empty();
            }
            String sha = BaseFile.sha256(file);
            if (!sha.equals(f.get("sha256"))) {
                log.accept("feature cache file " + file + " is damaged (SHA-256 " + sha.substring(0, 12)
                        + "… instead of " + String.valueOf(f.get("sha256")).substring(0, 12) + "…, "
                        + size(file) + " of " + f.get("bytes") + " bytes): rebuilding the cache");
                return Optional.empty();
            }
            DataSet ds = new DataSet();
            ds.load(file.toFile());
            sets[i] = ds;
            bytes += size(file);
        }
        return Optional.of(new Entry(key, sets[0], sets[1], sets[2], bytes));
    }

    /** Writes the activations and then the manifest; returns the entry with its size on disk. */
    public Entry write(Key key, DataSet train, DataSet val, DataSet test, Map<String, Object> info) {
        requireWritable();
        Path manifest = dir.resolve(MANIFEST);
        List<Path> temporary = new ArrayList<>();
        try {
            Files.deleteIfExists(manifest); // from here on the old cache no longer counts
            Map<String, Object> files = new LinkedHashMap<>();
            DataSet[] sets = {train, val, test};
            long bytes = 0;
            for (int i = 0; i < 3; i++) {
                if (sets[i] == null) {
                    continue;
                }
                String name = SPLITS.get(i) + ".bin";
                Path tmp = Files.createTempFile(dir, name, ".tmp");
                temporary.add(tmp);
                sets[i].save(tmp.toFile());
                Path file = dir.resolve(name);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("file", name);
                f.put("rows", sets[i].numExamples());
                f.put("shape", sets[i].getFeatures().shape());
                f.put("bytes", Files.size(file));
                f.put("sha256", BaseFile.sha256(file));
                files.put(SPLITS.get(i), f);
                bytes += Files.size(file);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key_sha256", key.sha256());
            m.put("key", key.fields());
            m.put("files", files);
            m.put("bytes", bytes);
            m.putAll(info);
            Path tmp = Files.createTempFile(dir, MANIFEST, ".tmp");
            temporary.add(tmp);
            JSON.writeValue(tmp.toFile(), m);
            Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Entry(key, train, val, test, bytes);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("cannot write the feature cache in " + dir + " (" + e + "): free space there, "
                    + "make it writable, or choose another WORK_DIR", e);
        } finally {
            for (Path tmp : temporary) { // renamed ones are gone; after a failure (full disk) no partial file stays
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error being thrown names the cause
                }
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
