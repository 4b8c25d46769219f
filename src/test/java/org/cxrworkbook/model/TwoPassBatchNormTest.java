package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
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
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The two-pass BatchNorm helper against a hand computation and against DL4J's own and oneDNN implementations. */
class TwoPassBatchNormTest {

    @Test
    void forwardMatchesHandComputedBatchStatistics() {
        // one channel, two images of 1×2 pixels: values 1,2 | 3,4 → batch mean 2.5, biased variance 1.25
        ComputationGraph g = graph(1, 1, 2, false, 1);
        assertEquals(1, TwoPassBatchNorm.install(g));
        g.getLayer("bn").setParam("gamma", Nd4j.createFromArray(new float[] {2f}).reshape(1, 1));
        g.getLayer("bn").setParam("beta", Nd4j.createFromArray(new float[] {0.5f}).reshape(1, 1));
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(2, 1, 1, 2);
        INDArray y = g.feedForward(new INDArray[] {x}, true, false).get("bn");
        double sd = Math.sqrt(1.25 + 1e-5);
        double[] expected = {2 * (1 - 2.5) / sd + 0.5, 2 * (2 - 2.5) / sd + 0.5, 2 * (3 - 2.5) / sd + 0.5,
                2 * (4 - 2.5) / sd + 0.5};
        double[] got = y.castTo(DataType.DOUBLE).ravel().toDoubleVector();
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], got[i], 1e-5, "element " + i);
        }
    }

    @Test
    void activationsGradientsAndRunningStatisticsAgreeWithDl4jAndOneDnn() throws Exception {
        ComputationGraph ours = graph(6, 3, 7, true, 5);
        ComputationGraph dl4j = ours.clone();
        ComputationGraph onednn = ours.clone();
        assertEquals(1, TwoPassBatchNorm.install(ours));
        helperField().set(dl4j.getLayer("bn"), null); // DL4J's built-in Java implementation
        assertTrue(TwoPassBatchNorm.installedOn(ours.getLayer("bn")));
        assertFalse(TwoPassBatchNorm.installedOn(onednn.getLayer("bn")));

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 7, 7).muli(3).subi(1);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 4, 2);
        for (ComputationGraph reference : new ComputationGraph[] {dl4j, onednn}) {
            INDArray a = ours.feedForward(new INDArray[] {x}, true, false).get("bn");
            INDArray b = reference.feedForward(new INDArray[] {x}, true, false).get("bn");
            assertTrue(a.equalsWithEps(b, 1e-4), "activations differ by " + a.sub(b).amaxNumber());

            Map<String, INDArray> ga = gradients(ours, x, labels);
            Map<String, INDArray> gb = gradients(reference, x, labels);
            for (String key : new String[] {"conv_W", "bn_gamma", "bn_beta", "conv2_W"}) {
                INDArray d = ga.get(key).sub(gb.get(key));
                double scale = Math.max(1e-3, gb.get(key).amaxNumber().doubleValue());
                assertTrue(d.amaxNumber().doubleValue() / scale < 1e-3,
                        key + ": relative difference " + d.amaxNumber().doubleValue() / scale);
            }
        }
        // one SGD step each: running mean and variance move the same way
        ours.fit(new MultiDataSet(x, labels));
        dl4j.fit(new MultiDataSet(x, labels));
        assertEquals(java.util.Set.of("gamma", "beta", "mean", "log10stdev"), ours.getLayer("bn").paramTable().keySet());
        for (String p : ours.getLayer("bn").paramTable().keySet()) {
            INDArray a = ours.getLayer("bn").getParam(p);
            INDArray b = dl4j.getLayer("bn").getParam(p);
            assertTrue(a.equalsWithEps(b, 1e-4), p + " differs: " + a + " vs " + b);
        }
        assertTrue(ours.getLayer("bn").getParam("mean").amaxNumber().doubleValue() > 0, "running mean moved");
    }

    @Test
    void installsOnEveryBatchNormOfTheDenseNetAndCanBeSwitchedOff() {
        ComputationGraph g = DenseNet.build(DenseNetConfig.small().toBuilder().inputSize(32).build());
        long bnLayers = java.util.Arrays.stream(g.getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization).count();
        assertTrue(bnLayers > 10);
        for (Layer l : g.getLayers()) {
            if (l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                assertTrue(TwoPassBatchNorm.installedOn(l), l.getConfig().getLayerName());
            }
        }
        System.setProperty(TwoPassBatchNorm.PROPERTY, "false");
        try {
            ComputationGraph plain = DenseNet.build(DenseNetConfig.small().toBuilder().inputSize(32).build());
            assertFalse(TwoPassBatchNorm.installedOn(plain.getLayer("bn")));
            assertEquals(0, TwoPassBatchNorm.install(plain));
        } finally {
            System.clearProperty(TwoPassBatchNorm.PROPERTY);
        }
    }

    private static Map<String, INDArray> gradients(ComputationGraph g, INDArray x, INDArray labels) {
        g.setInputs(x);
        g.setLabels(labels);
        g.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.HashMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static Field helperField() throws NoSuchFieldException {
        Field f = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField("helper");
        f.setAccessible(true);
        return f;
    }

    /** [conv →] bn → relu [→ conv2] → global average → 2 sigmoid outputs; with {@code convs} the BN sits between convolutions. */
    private static ComputationGraph graph(int channels, int inChannels, int size, boolean convs, long seed) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).weightInit(WeightInit.RELU).graphBuilder()
                .addInputs("input");
        String prev = "input";
        if (convs) {
            b.addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(channels).hasBias(false)
                    .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), prev);
            prev = "conv";
        }
        b.addLayer("bn", new BatchNormalization.Builder().eps(1e-5).build(), prev);
        b.addLayer("relu", new ActivationLayer(Activation.RELU), "bn");
        prev = "relu";
        if (convs) {
            b.addLayer("conv2", new ConvolutionLayer.Builder(1, 1).nOut(4).convolutionMode(ConvolutionMode.Same)
                    .activation(Activation.IDENTITY).build(), prev);
            prev = "conv2";
        }
        b.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(2)
                        .activation(Activation.SIGMOID).build(), "gap")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(convs ? size : 1, convs ? size : 2, inChannels));
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }
}
