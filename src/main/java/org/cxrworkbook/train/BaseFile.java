package org.cxrworkbook.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * The compact on-disk form of a pretrained base: a DL4J model zip whose parameters are stored as float16
 * (half the bytes of float32), without updater state, plus a {@code base.json} entry recording where it came
 * from (source file and its SHA-256, parameter count, storage type). Loading restores float32.
 *
 * <p>Rounding to float16 keeps about 3 significant digits per weight (relative error ≤ 2⁻¹¹ ≈ 4.9e-4 for
 * normal values); {@code BaseFileTest} checks that the restored network's outputs stay within a stated
 * tolerance of the float32 network's. The writer uses DL4J's own {@link ComputationGraph#convertDataType} and
 * {@link ModelSerializer}, so any DL4J model reader (and {@link StartingWeights}) reads the file.
 */
public final class BaseFile {

    /** Name of the provenance entry inside the zip. */
    public static final String MANIFEST = "base.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BaseFile() {
    }

    /** What {@link #export} wrote. */
    public record Export(Path file, long params, long bytes, String sourceSha256) {
    }

    /**
     * Writes {@code model} (a trained DL4J model zip, e.g. {@code WORK/model.zip}) as a float16 base to {@code out}
     * (temporary file, then an atomic rename), without updater state. The model keeps its head.
     */
    public static Export export(Path model, Path out) {
        if (!Files.isRegularFile(model)) {
            throw new TrainingException("no model file " + model + " to export");
        }
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(model.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("cannot read model " + model + ": " + e.getMessage(), e);
        }
        String sha = sha256(model);
        ComputationGraph half = graph.convertDataType(DataType.HALF);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "cxr-workbook base, DL4J ComputationGraph zip with float16 parameters");
        m.put("stored_as", "float16");
        m.put("restored_as", "float32");
        m.put("params", graph.numParams());
        m.put("layers", graph.getLayers().length);
        m.put("source_file", model.getFileName().toString());
        m.put("source_sha256", sha);
        try {
            String manifest = JSON.writeValueAsString(m);
            org.cxrworkbook.data.AtomicFiles.writeVia(out, tmp -> {
                ModelSerializer.writeModel(half, tmp.toFile(), false);
                ModelSerializer.addObjectToFile(tmp.toFile(), MANIFEST, manifest);
            });
            return new Export(out, graph.numParams(), Files.size(out), sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write base " + out + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code file} is a model zip written by {@link #export} (it carries a {@link #MANIFEST} object). */
    public static boolean isBase(Path file) {
        try {
            return ModelSerializer.listObjectsInFile(file.toFile()).contains(MANIFEST);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The provenance entry of a base written by {@link #export}. */
    public static Map<?, ?> manifest(Path file) {
        if (!isBase(file)) {
            throw new TrainingException(file + " is not a workbook base (no " + MANIFEST + " entry)");
        }
        try {
            String json = ModelSerializer.getObjectFromFile(file.toFile(), MANIFEST);
            return JSON.readValue(json, Map.class);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("cannot read " + MANIFEST + " of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads any DL4J model zip (a float16 base or a float32 model) as a float32 {@link ComputationGraph} without
     * updater state.
     */
    public static ComputationGraph read(Path file) {
        ComputationGraph g;
        try {
            g = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("cannot read model " + file + ": " + e.getMessage(), e);
        }
        return g.getConfiguration().getDataType() == DataType.FLOAT ? g : g.convertDataType(DataType.FLOAT);
    }

    /**
     * Copies every parameterised layer of {@code base} into the layer of {@code target} with the same name,
     * except the layers named in {@code skip} (the head that a new stage replaces). Refuses, listing each layer,
     * when any layer of {@code target} is missing from the base or has other parameter shapes. Returns the names
     * copied.
     */
    public static List<String> copyStrict(ComputationGraph base, ComputationGraph target, Path file, String... skip) {
        List<String> skipped = Arrays.asList(skip);
        List<String> problems = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        for (Layer t : target.getLayers()) {
            String name = t.getConfig().getLayerName();
            if (t.numParams() == 0 || skipped.contains(name)) {
                continue;
            }
            Layer s = base.getConfiguration().getVertices().containsKey(name) ? base.getLayer(name) : null;
            if (s == null) {
                problems.add(name + " (missing in the base)");
                continue;
            }
            Map<String, INDArray> sp = s.paramTable();
            Map<String, INDArray> tp = t.paramTable();
            if (!sp.keySet().equals(tp.keySet())) {
                problems.add(name + " (parameters " + sp.keySet() + " in the base, " + tp.keySet() + " in the model)");
                continue;
            }
            List<String> diffs = new ArrayList<>();
            tp.forEach((k, v) -> {
                if (!Arrays.equals(v.shape(), sp.get(k).shape())) {
                    diffs.add(k + " " + Arrays.toString(sp.get(k).shape()) + " in the base, "
                            + Arrays.toString(v.shape()) + " in the model");
                }
            });
            if (!diffs.isEmpty()) {
                problems.add(name + " (" + diffs.get(0) + ")");
                continue;
            }
            copied.add(name);
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 12);
            throw new TrainingException("the base " + file + " does not fit the requested model: " + problems.size()
                    + " of " + (problems.size() + copied.size()) + " layers differ: "
                    + String.join(", ", problems.subList(0, shown))
                    + (problems.size() > shown ? ", … and " + (problems.size() - shown) + " more" : "")
                    + " (was the base trained for another model, e.g. the small DenseNet instead of DenseNet121?)");
        }
        for (String name : copied) {
            Map<String, INDArray> sp = base.getLayer(name).paramTable();
            target.getLayer(name).paramTable().forEach((k, v) -> v.assign(sp.get(k).castTo(v.dataType())));
        }
        return copied;
    }

    /** SHA-256 of a file, hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a string's UTF-8 bytes, hex. */
    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
