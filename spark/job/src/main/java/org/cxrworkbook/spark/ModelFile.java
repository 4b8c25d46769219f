package org.cxrworkbook.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.eval.Predictor;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A saved model as the driver prepares it for a job: its bytes (what gets broadcast), their SHA-256, the restored
 * graph, and a check, run before any task starts, that it accepts the requested image size and gives the expected
 * output at the requested vertex.
 */
public record ModelFile(Path file, byte[] bytes, String sha256, ComputationGraph graph) {

    /** Reads and restores {@code file}; a missing or unreadable file is an {@link IllegalArgumentException} naming it. */
    public static ModelFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no model at " + file.toAbsolutePath()
                    + ": give a model saved by notebook 06 / ./cxr train (model.zip) or a base file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        }
        ComputationGraph graph;
        try {
            graph = ExecutorNetworks.restore(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot restore " + file + " as a DL4J ComputationGraph: " + e.getMessage(), e);
        }
        return new ModelFile(file, bytes, sha256(bytes), graph);
    }

    /** A model given as bytes (e.g. a network assembled on the driver); {@code file} names it in messages. */
    public static ModelFile of(Path file, byte[] bytes) {
        return new ModelFile(file, bytes, sha256(bytes), ExecutorNetworks.restore(bytes));
    }

    /** Shape of {@code vertex}'s output for one blank image of {@code size}² (batch dimension 1). */
    public long[] outputShape(int size, String vertex) {
        return graph.output(List.of(vertex), false, new INDArray[] {Nd4j.zeros(1, channels(), size, size)}, null)[0].shape();
    }

    /** Image channels the model takes (its first convolution's input channels). */
    public int channels() {
        return Predictor.inputChannels(graph);
    }

    /**
     * Runs one blank image of {@code size}² through the graph up to {@code vertex} and returns the number of values per
     * film there; refuses (IllegalArgumentException naming the file, size and vertex) a size the network cannot take or
     * an output width other than {@code expectedWidth} (0 = any).
     */
    public int checkFits(int size, String vertex, int expectedWidth) {
        if (graph.getVertex(vertex) == null) {
            throw new IllegalArgumentException(file + " has no vertex '" + vertex + "' (its outputs: "
                    + graph.getConfiguration().getNetworkOutputs() + ")");
        }
        requireWindowsFit(size);
        INDArray out;
        try {
            out = graph.output(List.of(vertex), false, new INDArray[] {Nd4j.zeros(1, channels(), size, size)}, null)[0];
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " does not take " + size + "×" + size + " images with "
                    + channels() + " channel(s) (checked with one blank image before any task): " + rootMessage(e), e);
        }
        int width = (int) (out.length() / out.size(0));
        if (expectedWidth > 0 && width != expectedWidth) {
            throw new IllegalArgumentException(file + " gives " + width + " values per film at '" + vertex + "' (shape "
                    + Arrays.toString(out.shape()) + "), expected " + expectedWidth);
        }
        return width;
    }

    /**
     * Refuses a size at which a convolution or pooling window without "same" padding would be larger than its input.
     * Checked here by hand because DL4J 1.0.0-M2.1 does not refuse it: both its shape inference and its forward pass
     * silently clamp such a layer's output to 1×1 (a small DenseNet built for 64² gives 14 probabilities for an 8×8
     * film), so a blank-image forward pass alone cannot tell.
     */
    void requireWindowsFit(int size) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        InputType input = InputType.convolutional(size, size, channels());
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        for (String name : order()) {
            GraphVertex v = conf.getVertices().get(name);
            if (!(v instanceof LayerVertex lv)) {
                continue;
            }
            Layer layer = lv.getLayerConf().getLayer();
            int[] kernel;
            int[] padding;
            int[] dilation;
            ConvolutionMode mode;
            if (layer instanceof ConvolutionLayer c) {
                kernel = c.getKernelSize();
                padding = c.getPadding();
                dilation = c.getDilation();
                mode = c.getConvolutionMode();
            } else if (layer instanceof SubsamplingLayer s) {
                kernel = s.getKernelSize();
                padding = s.getPadding();
                dilation = s.getDilation();
                mode = s.getConvolutionMode();
            } else {
                continue;
            }
            if (mode == ConvolutionMode.Same || kernel == null || kernel.length < 2) {
                continue;
            }
            String from = conf.getVertexInputs().get(name).get(0);
            InputType in = conf.getNetworkInputs().contains(from) ? input : types.get(from);
            if (!(in instanceof InputType.InputTypeConvolutional t)) {
                continue;
            }
            long[] side = {t.getHeight(), t.getWidth()};
            for (int d = 0; d < 2; d++) {
                int pad = padding == null ? 0 : padding[d];
                long window = (long) (dilation == null ? 1 : dilation[d]) * (kernel[d] - 1) + 1;
                if (side[d] + 2L * pad < window) {
                    throw new IllegalArgumentException(file + " does not take " + size + "×" + size + " images: at layer '"
                            + name + "' the feature map is " + t.getHeight() + "×" + t.getWidth() + ", smaller than its "
                            + kernel[0] + "×" + kernel[1] + " window (checked before any task); use a larger image size");
                }
            }
        }
    }

    /** Vertex names in the graph's topological order. */
    private List<String> order() {
        int[] order = graph.topologicalSortOrder();
        org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = graph.getVertices();
        List<String> names = new java.util.ArrayList<>(order.length);
        for (int i : order) {
            names.add(vertices[i].getVertexName());
        }
        return names;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /** SHA-256 of bytes, lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
