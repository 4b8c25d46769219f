package org.cxrworkbook.model.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN engine against the graph itself on the same weights: a real DenseNet121 with random weights and random
 * BatchNorm statistics (mean, variance, gamma, beta; with the initial 0/1/1/0 every BN would be nearly the identity
 * and a wrong statistic would not show), compared at every block edge as max |engine − graph| / max |graph|.
 */
class FrozenBaseTest {

    /** Float32 through up to 120 convolutions and 121 BatchNorms, summed in other orders than DL4J's (measured: ≤ 8e-7). */
    static final double TOLERANCE = 1e-5;

    static ComputationGraph net;

    @BeforeAll
    static void build() {
        net = DenseNet.build(DenseNetConfig.densenet121());
        randomizeBatchNorm(net, 13);
    }

    @AfterEach
    void clearSwitch() {
        System.clearProperty(FrozenBase.PROPERTY);
    }

    static void randomizeBatchNorm(ComputationGraph g, long seed) {
        Random r = new Random(seed);
        for (Layer l : g.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                long c = l.getParam("mean").length();
                l.getParam("mean").assign(gauss(r, c, 0.0, 0.3));
                l.getParam("var").assign(uniform(r, c, 0.5, 2.0));
                l.getParam("gamma").assign(uniform(r, c, 0.5, 1.5));
                l.getParam("beta").assign(gauss(r, c, 0.0, 0.3));
            }
        }
    }

    static INDArray gauss(Random r, long n, double mean, double sd) {
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + sd * r.nextGaussian());
        }
        return Nd4j.createFromArray(v).reshape(1, n);
    }

    static INDArray uniform(Random r, long n, double lo, double hi) {
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return Nd4j.createFromArray(v).reshape(1, n);
    }

    static INDArray images(long n, int side, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, n, 3, side, side);
    }

    static double relError(INDArray engine, INDArray graph) {
        assertArrayEquals(graph.shape(), engine.shape());
        return engine.sub(graph).amaxNumber().doubleValue() / graph.amaxNumber().doubleValue();
    }

    static INDArray viaGraph(ComputationGraph g, String boundary, INDArray x) {
        return g.output(List.of(boundary), false, new INDArray[] {x}, null)[0];
    }

    double check(ComputationGraph g, String boundary, INDArray x) {
        assertEquals("onednn", FrozenBase.path(g, boundary, x));
        INDArray want = viaGraph(g, boundary, x);
        double err = relError(FrozenBase.output(g, boundary, x), want);
        System.out.printf(Locale.ROOT, "engine vs graph at %-22s input %s: max rel. error %.2e (max |graph| %.3g)%n",
                boundary, java.util.Arrays.toString(x.shape()), err, want.amaxNumber().doubleValue());
        assertTrue(err < TOLERANCE, boundary + ": " + err);
        assertTrue(want.amaxNumber().doubleValue() > 0, "a non-trivial output");
        return err;
    }

    @Test
    void everyBlockEdgeAgreesWithTheGraphAtBatch2And64() {
        INDArray x = images(2, 64, 1);
        for (String b : List.of("pool1", "conv2_block1_concat", "conv2_block6_concat", "pool2_pool",
                "conv3_block12_concat", "pool3_pool", "conv4_block24_concat", "pool4_pool", "conv5_block15_concat",
                "conv5_block16_concat", "bn", "relu", "avg_pool")) {
            check(net, b, x);
        }
    }

    @Test
    void oddBatchAndBatchOneAgreeAtOtherSizes() {
        check(net, "conv5_block15_concat", images(3, 96, 2));
        check(net, "avg_pool", images(3, 96, 2));
        check(net, "conv5_block15_concat", images(1, 64, 3));
        check(net, "pool2_pool", images(1, 77, 4)); // odd sides: floor sizes in the stem and the average pools
        check(net, "conv2_block3_concat", images(2, 64, 12).dup('f')); // not C-ordered: read through a copy
    }

    @Test
    void aChangedBatchNormStatisticOrWeightFailsTheComparison() {
        INDArray x = images(2, 64, 5);
        String boundary = "conv5_block15_concat";
        INDArray before = FrozenBase.output(net, boundary, x);
        ComputationGraph mutated = net.clone();
        INDArray mean = mutated.getLayer("conv3_block5_1_bn").getParam("mean");
        mean.putScalar(0, 7, mean.getDouble(0, 7) + 0.5);
        double err = relError(before, viaGraph(mutated, boundary, x));
        System.out.printf(Locale.ROOT, "mutation: one running mean +0.5 -> max rel. error %.2e%n", err);
        assertTrue(err > TOLERANCE, "one BN mean changed by 0.5 must show: " + err);

        ComputationGraph mutated2 = net.clone();
        // one filter's centre weights (a single weight can meet an input channel the ReLU zeroed everywhere)
        INDArray w = mutated2.getLayer("conv4_block3_2_conv").getParam("W");
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.point(5), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(1)).addi(0.05);
        double err2 = relError(before, viaGraph(mutated2, boundary, x));
        System.out.printf(Locale.ROOT, "mutation: one 3x3 filter's centre weights +0.05 -> max rel. error %.2e%n", err2);
        assertTrue(err2 > TOLERANCE, "one filter changed by 0.05 must show: " + err2);
    }

    @Test
    void theEngineReadsTheGraphsCurrentParametersOnEveryCall() {
        ComputationGraph g = net.clone();
        INDArray x = images(2, 64, 6);
        String boundary = "pool3_pool";
        INDArray first = FrozenBase.output(g, boundary, x);
        INDArray w = g.getLayer("conv2_block2_1_conv").getParam("W");
        w.muli(1.5);
        g.getLayer("pool2_bn").getParam("beta").addi(0.2);
        double moved = relError(first, viaGraph(g, boundary, x));
        assertTrue(moved > TOLERANCE, "the change shows in the graph's output: " + moved);
        check(g, boundary, x); // same compiled engine (same shape), new values
    }

    @Test
    void restoredFrozenAndSmallGraphsRunToo() throws Exception {
        DenseNetConfig small = DenseNetConfig.small();
        ComputationGraph s = DenseNet.build(small);
        randomizeBatchNorm(s, 3);
        check(s, "conv5_block1_concat", images(2, 64, 7));
        ComputationGraph gray = DenseNet.build(small.toBuilder().channels(1).inputSize(32).build());
        randomizeBatchNorm(gray, 4);
        Nd4j.getRandom().setSeed(11);
        for (int n : new int[] {3, 8}) {
            check(gray, "conv5_block1_concat", Nd4j.randn(DataType.FLOAT, n, 1, 32, 32)); // block 4 at 1x1
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(s, bytes, false);
        ComputationGraph restored = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), false);
        check(restored, "relu", images(2, 64, 8));
        ComputationGraph frozen = new org.deeplearning4j.nn.transferlearning.TransferLearning.GraphBuilder(s)
                .setFeatureExtractor("conv5_block1_concat").build();
        check(frozen, "conv5_block1_concat", images(2, 64, 9));
    }

    @Test
    void unsupportedCasesFallBackToTheGraphWithTheReason() {
        ComputationGraph dbl = DenseNet.build(DenseNetConfig.small().toBuilder().dataType(DataType.DOUBLE).build());
        INDArray xd = Nd4j.randn(DataType.DOUBLE, 2, 3, 64, 64);
        assertTrue(FrozenBase.path(dbl, "relu", xd).contains("float32"), FrozenBase.path(dbl, "relu", xd));
        assertEquals(viaGraph(dbl, "relu", xd), FrozenBase.output(dbl, "relu", xd));

        INDArray nhwc = Nd4j.randn(DataType.FLOAT, 2, 64, 64, 3);
        assertTrue(FrozenBase.path(net, "pool1", nhwc).contains("channels"), FrozenBase.path(net, "pool1", nhwc));

        INDArray x = images(2, 64, 10);
        assertTrue(FrozenBase.path(net, "conv2_block1_1_conv", x).contains("not one the engine stops at"));
        assertEquals(viaGraph(net, "conv2_block1_1_conv", x), FrozenBase.output(net, "conv2_block1_1_conv", x));
        assertTrue(FrozenBase.path(net, "nonexistent", x).contains("no vertex named"));

        ComputationGraph notDenseNet = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().graphBuilder().addInputs("in")
                .addLayer("c", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nIn(3).nOut(4)
                        .build(), "in")
                .setOutputs("c").build());
        notDenseNet.init();
        assertTrue(FrozenBase.path(notDenseNet, "c", x).contains("zero_padding2d"), FrozenBase.path(notDenseNet, "c", x));
        assertEquals(viaGraph(notDenseNet, "c", x), FrozenBase.output(notDenseNet, "c", x));

        System.setProperty(FrozenBase.PROPERTY, "graph");
        assertTrue(FrozenBase.path(net, "pool1", x).contains("switched off"));
        System.setProperty(FrozenBase.PROPERTY, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, FrozenBase::choice);
        assertTrue(e.getMessage().contains("-Dcxr.engine=fast") && e.getMessage().contains("onednn"), e.getMessage());
    }
}
