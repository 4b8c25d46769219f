package org.cxrworkbook.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cxrworkbook.data.DataException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Our own checkpoints: DL4J's ModelSerializer zip with the updater state, plus the input geometry the model was
 * built for, written atomically (temporary file in the same folder, then rename) so that a crash never leaves a
 * half-written checkpoint under the final name.
 */
public final class ModelCheckpoint {

    /** The geometry stored with a checkpoint. */
    public record Geometry(int inputSize, int channels, int classes) {
        static Geometry of(DenseNetConfig c) {
            return new Geometry(c.inputSize(), c.channels(), c.classes());
        }
    }

    /** A restored graph and the geometry it was saved with. */
    public record Loaded(ComputationGraph graph, Geometry geometry) {
    }

    private static final String GEOMETRY_ENTRY = "cxr-geometry";

    private ModelCheckpoint() {
    }

    /** Saves graph + updater state + geometry to {@code file} atomically. */
    public static void save(ComputationGraph graph, DenseNetConfig config, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            Map<String, Integer> g = new LinkedHashMap<>();
            g.put("inputSize", config.inputSize());
            g.put("channels", config.channels());
            g.put("classes", config.classes());
            ModelSerializer.addObjectToFile(tmp.toFile(), GEOMETRY_ENTRY, new LinkedHashMap<>(g));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Restores a checkpoint (with updater state); DataException naming the file if it is unreadable. */
    public static Loaded load(Path file) {
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), true);
            Map<String, Integer> g = ModelSerializer.getObjectFromFile(file.toFile(), GEOMETRY_ENTRY);
            return new Loaded(graph, new Geometry(g.get("inputSize"), g.get("channels"), g.get("classes")));
        } catch (IOException | RuntimeException e) {
            throw new DataException(file.toString(), 0, "not a readable cxr-workbook checkpoint: " + e.getMessage(), e);
        }
    }

    /** Restores a checkpoint and checks that it was made for {@code expected}'s input size, channels and classes. */
    public static ComputationGraph load(Path file, DenseNetConfig expected) {
        Loaded l = load(file);
        Geometry want = Geometry.of(expected);
        if (!l.geometry().equals(want)) {
            throw new DataException(file.toString(), 0, "checkpoint was made for input " + l.geometry().inputSize()
                    + "² × " + l.geometry().channels() + " channels, " + l.geometry().classes() + " classes; this run uses "
                    + want.inputSize() + "² × " + want.channels() + " channels, " + want.classes() + " classes");
        }
        return l.graph();
    }
}
