package org.cxrworkbook.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny graphs and synthetic texture data for testing the training machinery in seconds. */
final class TinyData {

    static final int CLASSES = 3;

    private TinyData() {
    }

    /** conv1 → [bn1] → relu1 → conv2 → relu2 → avg_pool → predictions (sigmoid, XENT), input [c, size, size]. */
    static ComputationGraph graph(int size, int channels, int classes, boolean batchNorm, long seed) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new Adam(1e-2)).weightInit(WeightInit.RELU)
                .graphBuilder().addInputs("input")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(!batchNorm)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "input");
        String prev = "conv1";
        if (batchNorm) {
            b.addLayer("bn1", new BatchNormalization.Builder().build(), prev);
            prev = "bn1";
        }
        b.addLayer("relu1", new ActivationLayer(Activation.RELU), prev)
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(8)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "relu1")
                .addLayer("avg_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv2")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(classes)
                        .activation(Activation.SIGMOID).build(), "avg_pool")
                .setOutputs("predictions")
                .setInputTypes(InputType.convolutional(size, size, channels));
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    /**
     * n images [1, size, size] of noise; finding 0 adds horizontal stripes, finding 1 vertical stripes,
     * finding 2 raises the brightness. Labels drawn independently with prevalence 0.4.
     */
    static DataSet textures(int n, int size, long seed) {
        Random r = new Random(seed);
        float[][][][] x = new float[n][1][size][size];
        float[][] y = new float[n][CLASSES];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < CLASSES; k++) {
                y[i][k] = r.nextDouble() < 0.4 ? 1 : 0;
            }
            for (int row = 0; row < size; row++) {
                for (int col = 0; col < size; col++) {
                    double v = 0.5 * r.nextGaussian();
                    if (y[i][0] > 0 && row % 2 == 0) {
                        v += 1;
                    }
                    if (y[i][1] > 0 && col % 2 == 0) {
                        v += 1;
                    }
                    if (y[i][2] > 0) {
                        v += 0.7;
                    }
                    x[i][0][row][col] = (float) v;
                }
            }
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    /**
     * In-memory iterator that reshuffles with {@code seed + resets} on every reset (like the image iterator),
     * optionally failing at a given reset/batch (simulated crash), putting a NaN into the last batch after a given
     * reset (a diverging input), or sleeping per batch.
     */
    static class ShufflingIterator implements DataSetIterator {
        private static final long serialVersionUID = 1L;
        private final DataSet data;
        private final List<DataSet> examples;
        private final int batch;
        private final long seed;
        private List<Integer> order;
        private int cursor;
        int resets;
        int failAtReset = -1;
        int failAtBatch = -1;
        /** After this many resets (the epoch, for the trainer), the epoch's last batch gets a NaN pixel. */
        int nanAtReset = -1;
        long sleepMillis;
        private int served;

        ShufflingIterator(DataSet data, int batch, long seed) {
            this.data = data;
            this.examples = data.asList();
            this.batch = batch;
            this.seed = seed;
            order = new ArrayList<>();
            for (int i = 0; i < data.numExamples(); i++) {
                order.add(i);
            }
        }

        @Override
        public DataSet next(int num) {
            if (resets == failAtReset && served + 1 == failAtBatch) {
                throw new IllegalStateException("simulated crash at reset " + resets + ", batch " + failAtBatch);
            }
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int end = Math.min(cursor + num, order.size());
            int[] idx = order.subList(cursor, end).stream().mapToInt(Integer::intValue).toArray();
            cursor = end;
            served++;
            List<DataSet> picked = new ArrayList<>();
            for (int i : idx) {
                picked.add(examples.get(i));
            }
            DataSet ds = DataSet.merge(picked);
            if (resets == nanAtReset && !hasNext()) {
                ds.getFeatures().putScalar(0, Double.NaN);
            }
            return ds;
        }

        @Override public DataSet next() { return next(batch); }
        @Override public boolean hasNext() { return cursor < order.size(); }
        @Override public int inputColumns() { return (int) data.getFeatures().length() / data.numExamples(); }
        @Override public int totalOutcomes() { return (int) data.getLabels().size(1); }
        @Override public boolean resetSupported() { return true; }
        @Override public boolean asyncSupported() { return false; }
        @Override public int batch() { return batch; }
        @Override public void setPreProcessor(DataSetPreProcessor p) { throw new UnsupportedOperationException(); }
        @Override public DataSetPreProcessor getPreProcessor() { return null; }
        @Override public List<String> getLabels() { return null; }

        @Override
        public void reset() {
            resets++;
            cursor = 0;
            served = 0;
            Collections.shuffle(order, new Random(seed + resets));
        }
    }
}
