package org.cxrworkbook.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.Problem;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras HDF5 weights ↔ a DL4J ComputationGraph, matched by layer name.
 *
 * <p>Reads both Keras 2 layouts: weights-only files ({@code model.save_weights}, e.g.
 * {@code densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5} or the course's {@code densenet.hdf5}:
 * root attribute {@code layer_names}, one group per layer with attribute {@code weight_names}, datasets such as
 * {@code conv1/conv/kernel:0}) and full saved models ({@code model.save}, e.g. {@code pretrained_model.h5}),
 * where the same structure sits under {@code model_weights/}. Conversions: convolution kernels HWIO
 * {@code [kh, kw, in, out]} → DL4J {@code [out, in, kh, kw]}; Dense kernels {@code [in, out]} stay; biases
 * keep their values; BN {@code gamma, beta, moving_mean, moving_variance} → DL4J's {@code gamma, beta,
 * mean, var} (the graph's BN layers must store the variance, {@code useLogStd(false)}, as {@link DenseNet} builds them).
 *
 * <p>Channels: when the file's first convolution has 3 input channels and the model 1 (grey X-rays), the
 * kernel is summed over its input-channel axis, so a grey image x gives the same response as the RGB image
 * (x, x, x) did. The head: if the graph's {@value DenseNet#HEAD} layer is not in the file, the file's only
 * Dense layer (e.g. the course's {@code dense}) is used; a file without any Dense layer (a "notop" base)
 * leaves the head as initialised. Everything is checked before any parameter changes: a bad file leaves
 * the graph untouched and throws a {@link DataException} listing every missing or mis-shaped layer.
 *
 * <p>Where the real files come from (nothing is downloaded by the workbook): Keras' ImageNet base is
 * {@code https://storage.googleapis.com/tensorflow/keras-applications/densenet/densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5};
 * the course's {@code densenet.hdf5} and {@code pretrained_model.h5} ship with its week-1 lab files.
 */
public final class KerasWeights {

    /**
     * What an import did: layers imported (graph name ← file name), notes such as a skipped head, and for a 14-way
     * head the one line saying which output order was taken (null when no 14-way head was imported).
     */
    public record ImportReport(Map<String, String> imported, List<String> notes, String headOrder) {
        @Override
        public String toString() {
            return "imported " + imported.size() + " layers" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        }
    }

    private static final String KERAS_VERSION = "2.11.0";

    private KerasWeights() {
    }

    /**
     * Imports the weights in {@code h5} into {@code graph} by layer name; see the class comment for the rules. A
     * 14-way head is taken in the order {@link HeadOrder#assumedFor} assumes from the file name, and the report says so.
     */
    public static ImportReport load(ComputationGraph graph, Path h5) {
        return load(graph, h5, null);
    }

    /**
     * As {@link #load(ComputationGraph, Path)}, with the file's head output order given ({@code null}: assumed from
     * the file name). A 14-way Dense head's kernel columns and bias are reordered from {@code headOrder} into the
     * canonical (alphabetical) order; an order given for a head of another width is refused.
     */
    public static ImportReport load(ComputationGraph graph, Path h5, HeadOrder headOrder) {
        String file = h5.toString();
        try (Hdf5File f = Hdf5File.open(h5)) {
            String root = f.exists("/model_weights") ? "/model_weights" : "/";
            if (!f.hasAttribute(root, "layer_names")) {
                throw new DataException(file, 0, "no 'layer_names' attribute at " + root
                        + ": not a Keras 2 HDF5 weights file or saved model");
            }
            Map<String, Map<String, String>> fileLayers = new LinkedHashMap<>();
            for (String layerName : f.readStrings(root, "layer_names")) {
                String group = join(root, layerName);
                Map<String, String> weights = new LinkedHashMap<>();
                if (f.hasAttribute(group, "weight_names")) {
                    for (String w : f.readStrings(group, "weight_names")) {
                        weights.put(shortName(w), join(group, w));
                    }
                }
                if (!weights.isEmpty()) {
                    fileLayers.put(layerName, weights);
                }
            }
            return assign(graph, f, h5, fileLayers, headOrder);
        } catch (IOException e) {
            throw new DataException(file, 0, e.getMessage(), e);
        }
    }

    /**
     * The DenseNet a Keras file describes, read from its weight shapes: input channels ({@code conv1/conv}'s kernel),
     * stem filters, blocks per dense block (the {@code convS_blockN_1_conv} layers), growth rate, bottleneck width,
     * compression and, when the file has a Dense head, its width (else 14). DenseNet121's files give
     * {@link DenseNetConfig#densenet121()} with the file's channels; a file of the workbook's small DenseNet gives
     * that. {@code inputSize} is the caller's: convolutions and global pooling accept any size.
     */
    public static DenseNetConfig architecture(Path h5, int inputSize) {
        String file = h5.toString();
        try (Hdf5File f = Hdf5File.open(h5)) {
            String root = f.exists("/model_weights") ? "/model_weights" : "/";
            if (!f.hasAttribute(root, "layer_names")) {
                throw new DataException(file, 0, "no 'layer_names' attribute at " + root
                        + ": not a Keras 2 HDF5 weights file or saved model");
            }
            Map<String, long[]> kernels = new LinkedHashMap<>();
            for (String layerName : f.readStrings(root, "layer_names")) {
                String group = join(root, layerName);
                if (f.hasAttribute(group, "weight_names")) {
                    for (String w : f.readStrings(group, "weight_names")) {
                        if (shortName(w).equals("kernel")) {
                            kernels.put(layerName, f.readFloats(join(group, w)).shape());
                        }
                    }
                }
            }
            long[] conv1 = kernels.get("conv1/conv");
            long[] first = kernels.get("conv2_block1_1_conv");
            long[] growth = kernels.get("conv2_block1_2_conv");
            long[] pool2 = kernels.get("pool2_conv");
            if (conv1 == null || first == null || growth == null || pool2 == null) {
                throw new DataException(file, 0, "not a Keras DenseNet: missing conv1/conv, conv2_block1_1_conv, "
                        + "conv2_block1_2_conv or pool2_conv (the file's layers begin "
                        + kernels.keySet().stream().limit(5).toList() + ")");
            }
            int[] blocks = new int[4];
            for (int stage = 2; stage <= 5; stage++) {
                int n = 0;
                while (kernels.containsKey("conv" + stage + "_block" + (n + 1) + "_1_conv")) {
                    n++;
                }
                blocks[stage - 2] = n;
            }
            List<long[]> dense = kernels.values().stream().filter(k -> k.length == 2).toList();
            DenseNetConfig.Builder b = DenseNetConfig.builder().inputSize(inputSize).channels((int) conv1[2])
                    .stemFilters((int) conv1[3]).blocks(blocks).growthRate((int) growth[3])
                    .bottleneckWidth((int) first[3]).compression((double) pool2[3] / pool2[2]);
            if (dense.size() == 1) {
                b.classes((int) dense.get(0)[1]);
            }
            return b.build();
        } catch (IOException e) {
            throw new DataException(file, 0, e.getMessage(), e);
        }
    }

    private static ImportReport assign(ComputationGraph graph, Hdf5File f, Path h5,
                                       Map<String, Map<String, String>> fileLayers, HeadOrder given) throws IOException {
        String file = h5.toString();
        String headLine = null;
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> imported = new LinkedHashMap<>();
        List<Runnable> writes = new ArrayList<>();
        List<String> denseInFile = fileLayers.entrySet().stream()
                .filter(e -> e.getValue().containsKey("kernel") && !e.getValue().containsKey("gamma"))
                .map(Map.Entry::getKey)
                .filter(n -> isDenseKernel(f, fileLayers.get(n).get("kernel")))
                .toList();
        int withParams = 0;
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[idx];
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            withParams++;
            String name = v.getVertexName();
            Layer layer = v.getLayer();
            String source = name;
            if (!fileLayers.containsKey(name) && DenseNet.HEAD.equals(name)) {
                if (denseInFile.size() == 1) {
                    source = denseInFile.get(0);
                    notes.add("head '" + name + "' takes the file's Dense layer '" + source + "'");
                } else if (denseInFile.isEmpty()) {
                    notes.add("the file has no Dense head: '" + name + "' keeps its initial weights");
                    continue;
                }
            }
            Map<String, String> weights = fileLayers.get(source);
            if (weights == null) {
                problems.add(new Problem(file, 0, "layer '" + name + "' missing from the file"));
                continue;
            }
            int[] columns = null;
            if (DenseNet.HEAD.equals(name) && layer.paramTable().containsKey("W") && layer.paramTable().get("W").rank() == 2) {
                long width = layer.paramTable().get("W").size(1);
                if (width == Finding.COUNT) {
                    HeadOrder order = given != null ? given : HeadOrder.assumedFor(h5);
                    headLine = headOrderLine(order, given != null, h5, source);
                    columns = order.isCanonical() ? null : order.sourceColumns();
                } else if (given != null) {
                    problems.add(new Problem(file, 0, "head order " + given + " given, but the head '" + source
                            + "' has " + width + " outputs, not " + Finding.COUNT));
                    continue;
                }
            }
            int before = problems.size();
            List<Runnable> layerWrites = convert(f, file, name, layer, weights, problems, notes, columns);
            if (problems.size() == before) {
                writes.addAll(layerWrites);
                imported.put(name, source);
            }
        }
        if (!problems.isEmpty()) {
            if (imported.isEmpty() && withParams > 0) {
                List<String> some = fileLayers.keySet().stream().limit(5).toList();
                problems.add(0, new Problem(file, 0, "none of the model's " + withParams
                        + " weighted layers match: weights of another architecture? The file's layers begin "
                        + some + " (" + fileLayers.size() + " with weights)"));
            }
            throw new DataException(problems);
        }
        writes.forEach(Runnable::run);
        if (headLine != null) {
            notes.add(headLine);
        }
        return new ImportReport(imported, notes, headLine);
    }

    /** "head order: course (assumed from the file name pretrained_model.h5; ...)" and the like. */
    private static String headOrderLine(HeadOrder order, boolean given, Path h5, String source) {
        String how = given ? "given" : HeadOrder.COURSE_MODEL_FILES.contains(h5.getFileName().toString())
                ? "assumed from the file name " + h5.getFileName() + ", the course's saved model"
                : "assumed: only the course's pretrained_model.h5 is taken as course order";
        return "head order of '" + source + "': " + order.name() + " (" + how + ")"
                + (order.isCanonical() ? "" : ", columns reordered into alphabetical order")
                + (given ? "" : "; pass a head order (course, alphabetical or a file of 14 names) to change");
    }

    private static List<Runnable> convert(Hdf5File f, String file, String name, Layer layer,
                                          Map<String, String> weights, List<Problem> problems,
                                          List<String> notes, int[] columns) throws IOException {
        Map<String, INDArray> params = layer.paramTable();
        List<Runnable> writes = new ArrayList<>();
        if (params.containsKey("gamma") || params.containsKey("mean")) {
            if (params.containsKey("log10stdev")) {
                problems.add(new Problem(file, 0, "layer '" + name + "': BN stores log10(std); build it with useLogStd(false)"));
                return writes;
            }
            String[][] pairs = {{"gamma", "gamma"}, {"beta", "beta"}, {"moving_mean", "mean"}, {"moving_variance", "var"}};
            for (String[] p : pairs) {
                if (!params.containsKey(p[1])) {
                    continue; // e.g. a BN layer built with lockGammaBeta
                }
                INDArray target = params.get(p[1]);
                String path = weights.get(p[0]);
                if (path == null) {
                    problems.add(new Problem(file, 0, "layer '" + name + "': no '" + p[0] + "' weight in the file"));
                    continue;
                }
                Hdf5File.Floats d = f.readFloats(path);
                if (d.values().length != target.length()) {
                    problems.add(new Problem(file, 0, "layer '" + name + "': " + p[0] + " has shape "
                            + shape(d.shape()) + ", the model needs " + target.length() + " values"));
                    continue;
                }
                INDArray src = Nd4j.create(d.values()).reshape(target.shape()).castTo(target.dataType());
                writes.add(() -> target.assign(src));
            }
            return writes;
        }
        INDArray w = params.get("W");
        if (w == null) {
            problems.add(new Problem(file, 0, "layer '" + name + "': unsupported layer type "
                    + layer.getClass().getSimpleName()));
            return writes;
        }
        String kernelPath = weights.get("kernel");
        if (kernelPath == null) {
            problems.add(new Problem(file, 0, "layer '" + name + "': no 'kernel' weight in the file"));
            return writes;
        }
        Hdf5File.Floats k = f.readFloats(kernelPath);
        INDArray src;
        if (w.rank() == 4) {
            src = convKernel(file, name, k, w.shape(), problems, notes);
        } else {
            src = k.shape().length == 2 && k.shape()[0] == w.size(0) && k.shape()[1] == w.size(1)
                    ? Nd4j.create(columns == null ? k.values() : reorderColumns(k.values(), (int) k.shape()[1], columns),
                            k.shape(), 'c') : null;
            if (src == null) {
                problems.add(new Problem(file, 0, "layer '" + name + "': kernel has shape " + shape(k.shape())
                        + ", the model needs " + shape(w.shape()) + " [in, out]"));
            }
        }
        if (src != null) {
            INDArray s = src.castTo(w.dataType());
            writes.add(() -> w.assign(s));
        }
        INDArray b = params.get("b");
        String biasPath = weights.get("bias");
        if (b != null && biasPath == null) {
            problems.add(new Problem(file, 0, "layer '" + name + "': the model has a bias, the file has none"));
        } else if (b == null && biasPath != null) {
            problems.add(new Problem(file, 0, "layer '" + name + "': the file has a bias, the model has none"));
        } else if (b != null) {
            Hdf5File.Floats bias = f.readFloats(biasPath);
            if (bias.values().length != b.length()) {
                problems.add(new Problem(file, 0, "layer '" + name + "': bias has shape " + shape(bias.shape())
                        + ", the model needs " + b.length() + " values"));
            } else {
                float[] values = columns == null ? bias.values() : reorderColumns(bias.values(), bias.values().length, columns);
                INDArray s = Nd4j.create(values).reshape(b.shape()).castTo(b.dataType());
                writes.add(() -> b.assign(s));
            }
        }
        return writes;
    }

    /** Row-major [rows, width] values with column j taken from the source's column {@code columns[j]}. */
    static float[] reorderColumns(float[] values, int width, int[] columns) {
        float[] out = new float[values.length];
        for (int row = 0; row < values.length / width; row++) {
            for (int j = 0; j < width; j++) {
                out[row * width + j] = values[row * width + columns[j]];
            }
        }
        return out;
    }

    /** HWIO → [out, in, kh, kw]; 3 → 1 input channels by summing over the input axis. */
    private static INDArray convKernel(String file, String name, Hdf5File.Floats k, long[] target,
                                       List<Problem> problems, List<String> notes) {
        long[] s = k.shape();
        if (s.length != 4 || s[0] != target[2] || s[1] != target[3] || s[3] != target[0]
                || !(s[2] == target[1] || (s[2] == 3 && target[1] == 1))) {
            problems.add(new Problem(file, 0, "layer '" + name + "': kernel has shape " + shape(s)
                    + " (HWIO), the model needs " + shape(new long[] {target[2], target[3], target[1], target[0]})));
            return null;
        }
        INDArray hwio = Nd4j.create(k.values(), s, 'c');
        if (s[2] != target[1]) {
            hwio = hwio.sum(true, 2);
            notes.add("layer '" + name + "': 3-channel kernel summed over its input channels for a 1-channel model");
        }
        return hwio.permute(3, 2, 0, 1).dup('c');
    }

    private static boolean isDenseKernel(Hdf5File f, String path) {
        try {
            return f.readFloats(path).shape().length == 2;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes every weighted layer of {@code graph} in Keras' weights-only layout ({@code model.save_weights}),
     * kernels as HWIO, so that Keras' {@code load_weights(..., by_name=True)} and {@link #load} read it.
     */
    public static void save(ComputationGraph graph, Path h5) throws IOException {
        write(graph, h5, "/", DenseNet.HEAD, HeadOrder.ALPHABETICAL);
    }

    /**
     * Writes {@code graph} in the layout of a Keras full saved model ({@code model.save}: the weights under
     * {@code /model_weights/}), its head named {@code headName} (the course's is {@code dense}) with the 14 output
     * columns in {@code headOrder} — e.g. the course's order, for code that expects its {@code pretrained_model.h5}.
     * The graph's head must be 14-way for an order other than alphabetical.
     */
    public static void saveFullModel(ComputationGraph graph, Path h5, String headName, HeadOrder headOrder)
            throws IOException {
        write(graph, h5, "/model_weights", headName, headOrder);
    }

    private static void write(ComputationGraph graph, Path h5, String root, String headName, HeadOrder headOrder)
            throws IOException {
        if (h5.toAbsolutePath().getParent() != null) {
            Files.createDirectories(h5.toAbsolutePath().getParent());
        }
        // file column c holds canonical finding headOrder.labels().get(c)
        int[] toFile = headOrder.labels().stream().mapToInt(Finding::ordinal).toArray();
        try (Hdf5File f = Hdf5File.create(h5)) {
            if (!root.equals("/")) {
                f.createGroup(root);
            }
            List<String> layerNames = new ArrayList<>();
            for (int idx : graph.topologicalSortOrder()) {
                GraphVertex v = graph.getVertices()[idx];
                if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                    continue;
                }
                boolean head = v.getVertexName().equals(DenseNet.HEAD);
                String name = head ? headName : v.getVertexName();
                layerNames.add(name);
                String group = join(root, name);
                f.createGroup(group);
                List<String> weightNames = new ArrayList<>();
                Map<String, INDArray> params = v.getLayer().paramTable();
                if (params.containsKey("gamma") || params.containsKey("mean")) {
                    if (params.containsKey("log10stdev")) {
                        throw new IOException("layer '" + name + "': BN with useLogStd(true) cannot be written as Keras variance");
                    }
                    String[][] pairs = {{"gamma", "gamma"}, {"beta", "beta"}, {"mean", "moving_mean"}, {"var", "moving_variance"}};
                    for (String[] p : pairs) {
                        if (params.containsKey(p[0])) {
                            INDArray a = params.get(p[0]);
                            weightNames.add(write(f, group, name, p[1], new long[] {a.length()}, a));
                        }
                    }
                } else {
                    INDArray w = params.get("W");
                    if (w == null) {
                        throw new IOException("layer '" + name + "': cannot write " + v.getLayer().getClass().getSimpleName());
                    }
                    INDArray kernel = w.rank() == 4 ? w.permute(2, 3, 1, 0) : w; // [out,in,kh,kw] → HWIO
                    INDArray b = params.get("b");
                    if (head && !headOrder.isCanonical()) {
                        if (w.rank() != 2 || w.size(1) != Finding.COUNT) {
                            throw new IOException("head '" + name + "' has shape " + shape(w.shape())
                                    + ": an output order needs " + Finding.COUNT + " outputs");
                        }
                        kernel = w.getColumns(toFile);
                        b = b == null ? null : b.reshape(1, Finding.COUNT).getColumns(toFile);
                    }
                    weightNames.add(write(f, group, name, "kernel", kernel.shape(), kernel));
                    if (b != null) {
                        weightNames.add(write(f, group, name, "bias", new long[] {b.length()}, b));
                    }
                }
                f.writeStrings(group, "weight_names", weightNames);
            }
            f.writeStrings(root, "layer_names", layerNames);
            f.writeString(root, "backend", "tensorflow");
            f.writeString(root, "keras_version", KERAS_VERSION);
        }
    }

    private static String write(Hdf5File f, String group, String layer, String weight, long[] shape, INDArray a)
            throws IOException {
        String weightName = layer + "/" + weight + ":0";
        float[] values = a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        f.writeFloats(join(group, weightName), shape, values);
        return weightName;
    }

    /** "conv1/conv/kernel:0" → "kernel". */
    private static String shortName(String weightName) {
        String s = weightName.substring(weightName.lastIndexOf('/') + 1);
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static String join(String parent, String child) {
        return parent.endsWith("/") ? parent + child : parent + "/" + child;
    }

    private static String shape(long[] s) {
        return java.util.Arrays.toString(s);
    }
}
