package org.cxrworkbook.perf;

import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class SameDiffDenseNetTest {

    /** The small variant at 32² (last feature map 1×1) keeps each SameDiff step to a few seconds. */
    private static final DenseNetConfig TINY = DenseNetConfig.small().toBuilder().inputSize(32).build();

    @Test
    void densenet121CountsAreKerasOnesAndTheComputationGraphs() {
        DenseNetConfig withHead = DenseNetConfig.densenet121();
        SameDiff sd = SameDiffDenseNet.build(withHead, SameDiffDenseNet.BatchNormMode.TRAINING);
        assertEquals(7_051_854L, SameDiffDenseNet.parameterCount(sd));
        // Keras: non-trainable = the 83,648 BN moving means and variances of the base
        assertEquals(7_051_854L - 83_648L, SameDiffDenseNet.trainableParameterCount(sd));
        assertEquals(DenseNet.build(withHead).numParams(), SameDiffDenseNet.parameterCount(sd));

        SameDiff base = SameDiffDenseNet.build(withHead.toBuilder().includeTop(false).build(),
                SameDiffDenseNet.BatchNormMode.INFERENCE);
        assertEquals(7_037_504L, SameDiffDenseNet.parameterCount(base));
        assertEquals(83_648L, SameDiffDenseNet.movingStatistics(base).values().stream()
                .mapToLong(INDArray::length).sum());
    }

    @Test
    void smallVariantCountEqualsTheComputationGraphs() {
        DenseNetConfig small = DenseNetConfig.small();
        SameDiff sd = SameDiffDenseNet.build(small, SameDiffDenseNet.BatchNormMode.TRAINING);
        assertEquals(DenseNet.build(small).numParams(), SameDiffDenseNet.parameterCount(sd));
    }

    @Test
    void variablesCarryKerasLayerNames() {
        SameDiff sd = SameDiffDenseNet.build(DenseNetConfig.densenet121(), SameDiffDenseNet.BatchNormMode.TRAINING);
        for (String name : new String[] {"conv1/conv", "conv1/bn", "conv1/relu", "pool1", "conv2_block1_0_bn",
                "conv2_block1_1_conv", "conv2_block6_concat", "pool2_pool", "conv5_block16_concat", "bn", "relu",
                "avg_pool", "predictions", "conv1/conv/kernel", "conv2_block1_0_bn/gamma",
                "conv5_block16_2_conv/kernel", "bn/moving_variance", "predictions/kernel", "predictions/bias"}) {
            assertNotNull(sd.getVariable(name), name);
        }
        assertArrayEquals(new long[] {3, 3, 128, 32}, sd.getVariable("conv5_block16_2_conv/kernel").getArr().shape());
    }

    @Test
    void oneTrainingStepLowersTheLossOnAFixedBatch() {
        // Adam's first step moves every weight by about its learning rate; 1e-4 keeps that step inside the region
        // where the loss is close to linear (with 1e-3 this 4-image, 1×1-feature-map batch overshoots)
        SameDiff sd = SameDiffDenseNet.forTraining(TINY.toBuilder().updater(new Adam(1e-4)).build());
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, TINY.classes()).gt(0.7).castTo(DataType.FLOAT);
        double before = loss(sd, x, y);
        // freshly initialised head: logits near 0, so the loss starts near ln 2
        assertTrue(before > 0.4 && before < 1.2, "initial loss " + before);
        sd.fit(new DataSet(x, y));
        double after = loss(sd, x, y);
        assertTrue(after < before - 1e-3, "loss " + before + " -> " + after);
    }

    private static double loss(SameDiff sd, INDArray x, INDArray y) {
        return sd.output(Map.of(SameDiffDenseNet.INPUT, x, SameDiffDenseNet.LABEL, y), SameDiffDenseNet.LOSS)
                .get(SameDiffDenseNet.LOSS).getDouble(0);
    }

    @Test
    void trainingGradientsEqualTheComputationGraphs() {
        // double precision; DL4J's gradient is summed over the batch and the classes, ours is the mean of the entries
        DenseNetConfig config = TINY.toBuilder().dataType(DataType.DOUBLE).build();
        ComputationGraph graph = DenseNet.build(config);
        SameDiff sd = SameDiffDenseNet.forTraining(config);
        SameDiffDenseNet.copyWeights(graph, sd);
        Nd4j.getRandom().setSeed(5);
        int batch = 4;
        INDArray x = Nd4j.rand(DataType.DOUBLE, batch, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.DOUBLE, batch, config.classes()).gt(0.7).castTo(DataType.DOUBLE);
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore();
        Map<String, INDArray> expected = graph.gradient().gradientForVariable();
        Map<String, INDArray> actual = sd.calculateGradients(Map.of(SameDiffDenseNet.INPUT, x, SameDiffDenseNet.LABEL, y),
                "conv1/conv/kernel", "conv2_block1_0_bn/gamma", "conv3_block2_2_conv/kernel", "bn/beta",
                "predictions/kernel");
        double loss = sd.output(Map.of(SameDiffDenseNet.INPUT, x, SameDiffDenseNet.LABEL, y), SameDiffDenseNet.LOSS)
                .get(SameDiffDenseNet.LOSS).getDouble(0);
        assertEquals(graph.score(), loss * config.classes(), 1e-9); // DL4J: summed over classes, mean over examples
        double entries = batch * config.classes();
        String[][] pairs = {{"conv1/conv_W", "conv1/conv/kernel"}, {"conv2_block1_0_bn_gamma", "conv2_block1_0_bn/gamma"},
                {"conv3_block2_2_conv_W", "conv3_block2_2_conv/kernel"}, {"bn_beta", "bn/beta"},
                {"predictions_W", "predictions/kernel"}};
        for (String[] p : pairs) {
            INDArray cg = expected.get(p[0]);
            if (cg.rank() == 4) {
                cg = cg.permute(2, 3, 1, 0); // OIHW -> YXIO
            }
            INDArray ours = actual.get(p[1]).reshape(cg.shape()).mul(entries);
            double relative = cg.sub(ours).norm2Number().doubleValue() / cg.norm2Number().doubleValue();
            assertTrue(relative < 1e-6, p[1] + ": relative difference " + relative);
        }
    }

    @Test
    void inferenceOutputEqualsTheComputationGraphsWithItsWeights() {
        DenseNetConfig config = DenseNetConfig.small();
        ComputationGraph graph = DenseNet.build(config);
        Nd4j.getRandom().setSeed(11);
        for (Layer layer : graph.getLayers()) { // non-trivial BN statistics, so that they must land in the right place
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                for (String key : new String[] {"gamma", "beta", "mean"}) {
                    INDArray p = layer.getParam(key);
                    p.assign(Nd4j.rand(DataType.FLOAT, p.shape()).subi(0.5));
                }
                INDArray var = layer.getParam("var");
                var.assign(Nd4j.rand(DataType.FLOAT, var.shape()).addi(0.5));
            }
        }
        SameDiff sd = SameDiffDenseNet.build(config, SameDiffDenseNet.BatchNormMode.INFERENCE);
        SameDiffDenseNet.copyWeights(graph, sd);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray expected = graph.output(false, x)[0];
        INDArray actual = sd.output(Map.of(SameDiffDenseNet.INPUT, x), SameDiffDenseNet.HEAD).get(SameDiffDenseNet.HEAD);
        assertArrayEquals(expected.shape(), actual.shape());
        double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-4, "max |CG − SameDiff| = " + maxDiff);
        // and the outputs are not trivially equal: they vary across classes and images
        assertTrue(expected.stdNumber().doubleValue() > 1e-3, "outputs vary: std " + expected.stdNumber());
    }

    @Test
    void copyingFromAnotherArchitectureNamesTheMismatch() {
        ComputationGraph graph = DenseNet.build(DenseNetConfig.small());
        SameDiff other = SameDiffDenseNet.build(DenseNetConfig.small().toBuilder().growthRate(4).build(),
                SameDiffDenseNet.BatchNormMode.INFERENCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SameDiffDenseNet.copyWeights(graph, other));
        // growth 4 instead of 8 (same bottleneck width): the first 3×3 convolution is the first mismatch
        assertTrue(e.getMessage().contains("conv2_block1_2_conv/kernel"), e.getMessage());
    }

    @Test
    void trainingGraphNeedsTheHead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SameDiffDenseNet.forTraining(TINY.toBuilder().includeTop(false).build()));
        assertTrue(e.getMessage().contains("includeTop"), e.getMessage());
    }
}
