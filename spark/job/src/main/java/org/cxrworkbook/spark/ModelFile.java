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
import org.cxrworkbook.eval.Predictor;
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
