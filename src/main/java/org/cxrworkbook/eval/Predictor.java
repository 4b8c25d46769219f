package org.cxrworkbook.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.RunFirstException;
import org.cxrworkbook.model.engine.FrozenBase;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Runs a trained model over a split and collects {@link Predictions} aligned with the split's records. */
public final class Predictor {

    /** The notebook that trains and saves {@code model.zip} with its {@code data-settings.json}. */
    public static final String TRAINING_NOTEBOOK = "06-densenet-training.ipynb";

    private Predictor() {
    }

    /**
     * Predicts every image of {@code it}, which must yield the images of {@code records} in that order
     * (no shuffling). The iterator is reset first when it supports it. Fails when the number of images
     * differs from the records, when the model output is not [batch, 14], or when a batch's labels
     * differ from the record's multi-hot vector (a sign the order does not match). An empty split is an {@link IllegalArgumentException}.
     * A DenseNet's base runs on the CPU's oneDNN engine ({@link FrozenBase#predictions}; {@code -Dcxr.engine=graph}
     * keeps the graph), whose native buffers are released at the end.
     */
    public static Predictions predict(ComputationGraph model, DataSetIterator it, List<ImageRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the split is empty: no records to predict");
        }
        if (it.resetSupported()) {
            it.reset();
        }
        try {
            return predictAll(model, it, records);
        } finally {
            FrozenBase.release(model); // done with this pass: the engine's native buffers go now, not at GC
        }
    }

    private static Predictions predictAll(ComputationGraph model, DataSetIterator it, List<ImageRecord> records) {
        int n = records.size();
        List<double[]> probs = new ArrayList<>(n);
        int row = 0;
        while (it.hasNext()) {
            DataSet batch = it.next();
            INDArray out = FrozenBase.predictions(model, batch.getFeatures());
            long rows = out.size(0);
            if (out.rank() != 2 || out.size(1) != Finding.COUNT) {
                throw new IllegalStateException("model output has shape " + Arrays.toString(out.shape())
                        + ", expected [batch, " + Finding.COUNT + "]");
            }
            if (row + rows > n) {
                throw new IllegalStateException("iterator yields more images than the " + n + " records");
            }
            INDArray labels = batch.getLabels();
            for (int b = 0; b < rows; b++, row++) {
                if (labels != null) {
                    checkLabels(labels.getRow(b).toFloatVector(), records.get(row), row);
                }
                probs.add(out.getRow(b).toDoubleVector());
            }
        }
        if (row != n) {
            throw new IllegalStateException("iterator yielded " + row + " images but there are " + n + " records");
        }
        List<String> images = records.stream().map(ImageRecord::imageIndex).toList();
        List<String> patients = records.stream().map(ImageRecord::patientId).toList();
        int[][] y = records.stream().map(Predictor::intLabels).toArray(int[][]::new);
        return Predictions.of(images, patients, y, probs.toArray(double[][]::new));
    }

    /** Loads a model saved with DL4J's {@code ModelSerializer} (e.g. notebook 06's {@code model.zip}), without updater state. */
    public static ComputationGraph loadModel(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RunFirstException(TRAINING_NOTEBOOK, "./cxr train", file);
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            if (zip.getEntry("configuration.json") == null || zip.getEntry("coefficients.bin") == null) {
                throw new IllegalArgumentException(file + " is not a model: a zip without configuration.json and "
                        + "coefficients.bin (expected the model.zip saved by train / notebook 06)");
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file + " is not a model: not a zip file (expected the model.zip "
                    + "saved by train / notebook 06)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        }
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot load model " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Number of image channels the model takes: {@code nIn} of its first convolution in topological order.
     * (DL4J M2.1 does not keep the input type in the graph configuration, and a fully convolutional network
     * with global pooling accepts any image size, so the size must come from the run parameters.)
     */
    public static int inputChannels(ComputationGraph model) {
        for (int i : model.topologicalSortOrder()) {
            GraphVertex v = model.getVertices()[i];
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof ConvolutionLayer c) {
                return (int) c.getNIn();
            }
        }
        throw new IllegalArgumentException("model has no convolution layer: cannot tell how many image channels it takes");
    }

    private static void checkLabels(float[] batchLabels, ImageRecord record, int row) {
        if (!Arrays.equals(batchLabels, record.multiHot())) {
            throw new IllegalStateException("row " + row + ": iterator labels " + Arrays.toString(batchLabels)
                    + " differ from record " + record.imageIndex() + " " + record.findingLabels()
                    + " - does the iterator shuffle or use other records?");
        }
    }

    private static int[] intLabels(ImageRecord r) {
        float[] m = r.multiHot();
        int[] y = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            y[i] = (int) m[i];
        }
        return y;
    }
}
