package org.cxrworkbook.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cxrworkbook.data.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A folder of per-epoch checkpoints ({@code epoch-0003.zip} = DL4J model with updater state, plus
 * {@code epoch-0003.json} sidecar). Each file is written to a temporary file in the same folder, forced
 * to disk, then renamed atomically; the sidecar is written last and records the zip's SHA-256, so a
 * checkpoint counts only when both exist and the zip's digest matches: a crash or a truncated copy
 * can never be loaded.
 */
public final class CheckpointStore {

    private static final Pattern SIDECAR = Pattern.compile("epoch-(\\d{4,})\\.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final List<String> warnings = new ArrayList<>();

    /** A store over {@code dir} (created on first save). */
    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A loaded checkpoint: the network (with updater state), its state and its zip file. */
    public record Checkpoint(ComputationGraph graph, CheckpointState state, Path file) {
    }

    /** Model file of the checkpoint after {@code epoch} completed epochs. */
    public Path modelFile(int epoch) {
        return dir.resolve(String.format("epoch-%04d.zip", epoch));
    }

    private Path sidecar(int epoch) {
        return dir.resolve(String.format("epoch-%04d.json", epoch));
    }

    /** Writes the checkpoint for {@code state.epochsCompleted()} and keeps only the newest {@code keep}. */
    public Path save(ComputationGraph graph, CheckpointState state, int keep) {
        int epoch = state.epochsCompleted();
        Path zip = modelFile(epoch);
        writeAtomically(graph, state, zip, sidecar(epoch));
        List<Integer> all = epochs();
        for (int i = 0; i < all.size() - keep; i++) {
            delete(all.get(i));
        }
        return zip;
    }

    /** Writes {@code best.zip}/{@code best.json} (the best validation epoch so far). */
    public Path saveBest(ComputationGraph graph, CheckpointState state) {
        Path zip = dir.resolve("best.zip");
        writeAtomically(graph, state, zip, dir.resolve("best.json"));
        return zip;
    }

    /** The best-epoch checkpoint, if one was saved and is intact. */
    public Optional<Checkpoint> best() {
        Path zip = dir.resolve("best.zip");
        Path json = dir.resolve("best.json");
        if (!Files.exists(json)) {
            return Optional.empty();
        }
        return Optional.of(load(zip, json));
    }

    /** Epoch numbers that have a sidecar, ascending (a sidecar is written only after its zip). */
    public List<Integer> epochs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> SIDECAR.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
    }

    /**
     * The newest checkpoint that loads; a damaged newer one is skipped with a warning (see
     * {@link #warnings()}, also printed to stderr). Empty if the folder has no checkpoint;
     * a {@link TrainingException} listing every problem if there are checkpoints but none loads.
     */
    public Optional<Checkpoint> latest() {
        List<Integer> all = epochs();
        List<String> problems = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                Checkpoint c = load(all.get(i));
                problems.forEach(this::warn);
                return Optional.of(c);
            } catch (TrainingException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new TrainingException("no usable checkpoint in " + dir + ":\n  " + String.join("\n  ", problems));
        }
        return Optional.empty();
    }

    /** Loads the checkpoint of {@code epoch}; a missing, truncated or altered file gives a clear error. */
    public Checkpoint load(int epoch) {
        return load(modelFile(epoch), sidecar(epoch));
    }

    /** Problems met while looking for the latest checkpoint (skipped damaged files). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private Checkpoint load(Path zip, Path json) {
        CheckpointState state;
        try {
            state = CheckpointState.fromMap(JSON.readValue(json.toFile(), Map.class));
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("checkpoint sidecar " + json + " is unreadable: " + e.getMessage(), e);
        }
        if (!Files.exists(zip)) {
            throw new TrainingException("checkpoint " + zip + " is missing (its sidecar " + json.getFileName() + " exists)");
        }
        String sha = sha256(zip);
        if (!sha.equals(state.modelSha256())) {
            throw new TrainingException("checkpoint " + zip + " is damaged or incomplete: SHA-256 " + sha
                    + " does not match " + state.modelSha256() + " recorded when it was written ("
                    + fileSize(zip) + " bytes now)");
        }
        try {
            return new Checkpoint(ModelSerializer.restoreComputationGraph(zip.toFile(), true), state, zip);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("checkpoint " + zip + " cannot be read as a DL4J model: " + e.getMessage(), e);
        }
    }

    private void writeAtomically(ComputationGraph graph, CheckpointState state, Path zip, Path json) {
        String[] sha = new String[1];
        // each file whole or not at all; a failure (full disk) removes the temporary file and keeps the previous one
        AtomicFiles.writeVia(zip, tmp -> {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            sha[0] = sha256(tmp);
        });
        try {
            AtomicFiles.writeString(json, JSON.writeValueAsString(state.withModel(sha[0], Instant.now().toString()).toMap()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + zip, e);
        }
        force(dir);
    }

    /** Writes a model zip (with updater state) atomically: temporary file in the same folder, fsync, rename. */
    public static Path writeModel(ComputationGraph graph, Path file) {
        AtomicFiles.writeVia(file, tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), true));
        force(file.toAbsolutePath().getParent());
        return file;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void force(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic there.
        }
    }

    private void delete(int epoch) {
        try {
            Files.deleteIfExists(sidecar(epoch));
            Files.deleteIfExists(modelFile(epoch));
        } catch (IOException e) {
            warn("cannot delete old checkpoint " + modelFile(epoch) + ": " + e.getMessage());
        }
    }

    private void warn(String message) {
        warnings.add(message);
        System.err.println("WARNING: " + message);
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Provenance of data files: path, SHA-256, size and modification time. */
    public static List<Map<String, Object>> provenance(List<Path> files) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Path f : files) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.toAbsolutePath().toString());
            try {
                m.put("sha256", sha256(f));
                m.put("bytes", Files.size(f));
                m.put("modified", Files.getLastModifiedTime(f).toInstant().toString());
            } catch (IOException | UncheckedIOException e) {
                m.put("error", e.getMessage());
            }
            list.add(m);
        }
        return list;
    }
}
