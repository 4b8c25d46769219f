package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradCamTest {

    static ComputationGraph graph;
    static INDArray image;

    @BeforeAll
    static void setUp() {
        graph = SmallGraphs.denseNetTail(7);
        image = SmallGraphs.image(11);
    }

    /** Runs the real graph's vertices after {@code target} on given activations (inference mode). */
    static INDArray forwardFrom(String target, INDArray activations, Score score) {
        INDArray x = activations.dup();
        List<String> chain = TailHead.chainAfter(graph, target);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int i = 0; i < chain.size(); i++) {
            org.deeplearning4j.nn.api.Layer layer = graph.getLayer(chain.get(i));
            boolean last = i == chain.size() - 1;
            if (last && score == Score.LOGIT) {
                // pre-activation of the output layer: x·W + b
                x = x.mmul(layer.getParam("W")).addRowVector(layer.getParam("b"));
            } else {
                x = layer.activate(x.dup(), false, mgr).dup();
            }
            layer.clear();
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn", "conv5_block16_concat", "relu"})
    void gradientMatchesCentralFiniteDifferencesOfTheGraph(String target) {
        for (Score score : Score.values()) {
            int cls = 3;
            GradCamTerms t = GradCam.at(target, score).terms(graph, image, cls);
            INDArray a = t.activations();
            // the rebuilt head reproduces the graph's own output
            if (score == Score.PROBABILITY) {
                INDArray out = graph.outputSingle(image);
                assertEquals(out.getDouble(0, cls), forwardFrom(target, a, score).getDouble(0, cls), 1e-12);
            }
            double h = 1e-6;
            long n = a.length();
            // All 2n perturbed copies in one batch: row 2i = A + h·e_i, row 2i+1 = A − h·e_i.
            INDArray batch = Nd4j.repeat(a.reshape(1, n), (int) (2 * n)).reshape(2 * n, n).dup();
            for (long i = 0; i < n; i++) {
                batch.putScalar(2 * i, i, batch.getDouble(2 * i, i) + h);
                batch.putScalar(2 * i + 1, i, batch.getDouble(2 * i + 1, i) - h);
            }
            long[] shape = a.shape().clone();
            shape[0] = 2 * n;
            INDArray out = forwardFrom(target, batch.reshape(shape), score);
            INDArray analytic = t.gradient().reshape(-1);
            double maxErr = 0;
            double maxGrad = 0;
            for (long i = 0; i < n; i++) {
                double fd = (out.getDouble(2 * i, cls) - out.getDouble(2 * i + 1, cls)) / (2 * h);
                maxErr = Math.max(maxErr, Math.abs(fd - analytic.getDouble(i)));
                maxGrad = Math.max(maxGrad, Math.abs(analytic.getDouble(i)));
            }
            assertTrue(maxGrad > 1e-4, "gradient should not be trivially zero");
            assertTrue(maxErr < 1e-7 * Math.max(1, maxGrad), target + "/" + score + ": max |fd − analytic| = " + maxErr);
        }
    }

    @Test
    void logitAndProbabilityScoresGiveTheSameNormalisedMap() {
        for (String target : List.of("bn", "conv5_block16_concat", "relu")) {
            float[][] logit = GradCam.at(target, Score.LOGIT).heatmap(graph, image, 5);
            float[][] prob = GradCam.at(target, Score.PROBABILITY).heatmap(graph, image, 5);
            assertEquals(SmallGraphs.SIZE, logit.length);
            double max = 0;
            for (int y = 0; y < logit.length; y++) {
                for (int x = 0; x < logit[0].length; x++) {
                    assertEquals(logit[y][x], prob[y][x], 1e-5);
                    max = Math.max(max, logit[y][x]);
                }
            }
            assertEquals(1.0, max, 1e-6, "normalised to max 1");
        }
    }

    @Test
    void weightsAreSpatialMeanOfGradientAndMapIsWeightedSum() {
        GradCamTerms t = GradCam.defaults().terms(graph, image, 0);
        double[] w = t.meanGradient();
        INDArray g = t.gradient();
        long hw = g.size(2) * g.size(3);
        for (int c = 0; c < w.length; c++) {
            double s = 0;
            for (int y = 0; y < g.size(2); y++) {
                for (int x = 0; x < g.size(3); x++) {
                    s += g.getDouble(0, c, y, x);
                }
            }
            assertEquals(s / hw, w[c], 1e-12);
        }
        double[][] cam = Heatmaps.weightedSum(t.activations(), w);
        double expected = 0;
        for (int c = 0; c < w.length; c++) {
            expected += w[c] * t.activations().getDouble(0, c, 2, 1);
        }
        assertEquals(expected, cam[2][1], 1e-12);
    }

    @Test
    void activationsOfBnAreNotOverwrittenByTheInPlaceRelu() {
        INDArray bn = GradCam.activations(graph, image, "bn");
        assertTrue(bn.minNumber().doubleValue() < 0, "bn output has negative values before ReLU");
    }

    @Test
    void unknownLayerListsValidNames() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GradCam.at("conv5_block16_concatt").heatmap(graph, image, 0));
        assertTrue(e.getMessage().contains("no vertex named 'conv5_block16_concatt'"), e.getMessage());
        assertTrue(e.getMessage().contains("conv1/conv") && e.getMessage().contains("avg_pool"), e.getMessage());
    }

    @Test
    void unsupportedTargetNamesSupportedOnes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GradCam.at("avg_pool").heatmap(graph, image, 0));
        assertTrue(e.getMessage().contains("supported targets in this model: bn, conv5_block16_concat, relu"),
                e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> GradCam.at("conv1/conv").heatmap(graph, image, 0));
        assertTrue(e2.getMessage().contains("branches or merges"), e2.getMessage());
        assertEquals(List.of("bn", "conv5_block16_concat", "relu"), TailHead.supportedTargets(graph));
    }

    @Test
    void batchNormAffineEqualsTheLayerInInference() {
        INDArray a = GradCam.activations(graph, image, "conv5_block16_concat");
        INDArray bn = GradCam.activations(graph, image, "bn");
        INDArray[] affine = TailHead.batchNormAffine(graph.getLayer("bn"),
                (org.deeplearning4j.nn.conf.layers.BatchNormalization)
                        ((org.deeplearning4j.nn.conf.graph.LayerVertex) graph.getConfiguration().getVertices()
                                .get("bn")).getLayerConf().getLayer(), a.dataType());
        INDArray expected = a.mul(affine[0].reshape(1, -1, 1, 1)).add(affine[1].reshape(1, -1, 1, 1));
        assertEquals(0, expected.sub(bn).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void severalClassesAtOnceEqualOneByOne() {
        for (HeatmapMethod m : List.of(GradCam.defaults(), GradCamPlusPlus.defaults())) {
            List<float[][]> both = m.heatmaps(graph, image, 4, 9);
            float[][] four = m.heatmap(graph, image, 4);
            float[][] nine = m.heatmap(graph, image, 9);
            for (int y = 0; y < four.length; y++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(four[y], both.get(0)[y], 0f);
                org.junit.jupiter.api.Assertions.assertArrayEquals(nine[y], both.get(1)[y], 0f);
            }
        }
    }

    /**
     * Documents the DL4J M2.1 behaviour that TailHead works around: a head that keeps a real BatchNormalization
     * layer backpropagates with the batch-statistics formula even in inference mode, so its gradient differs from the
     * (finite-difference-checked) one.
     */
    @Test
    void batchNormLayerInAHeadGivesAWrongGradientInDl4j() {
        INDArray a = GradCam.activations(graph, image, "conv5_block16_concat");
        long c = a.size(1);
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                // with workspaces, M2.1's BN backprop after feedForward(false, false) fails ("outdated workspace pointer")
                .trainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE)
                .inferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE).list()
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().nIn(c).nOut(c).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.PoolingType.AVG).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(c).nOut(SmallGraphs.CLASSES)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(a.size(2), a.size(3), c))
                .build();
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
        net.init();
        graph.getLayer("bn").paramTable().forEach((k, v) -> net.getLayer(0).setParam(k, v.dup()));
        net.getLayer(3).setParam("W", graph.getLayer("predictions").getParam("W").dup());
        net.getLayer(3).setParam("b", graph.getLayer("predictions").getParam("b").dup());
        // same forward output as the graph ...
        assertEquals(forwardFrom("conv5_block16_concat", a, Score.LOGIT).getDouble(0, 3),
                net.output(a.dup(), false).getDouble(0, 3), 1e-10);
        net.setInput(a.dup());
        net.feedForward(false, false);
        INDArray eps = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, SmallGraphs.CLASSES);
        eps.putScalar(0, 3, 1.0);
        INDArray naive = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        INDArray correct = GradCam.at("conv5_block16_concat").terms(graph, image, 3).gradient();
        double rel = naive.sub(correct).amaxNumber().doubleValue() / correct.amaxNumber().doubleValue();
        // ... but a gradient far from the checked one
        assertTrue(rel > 0.1, "relative gradient error of the naive BN head: " + rel);
        System.out.println("naive BN head: relative gradient error " + rel);
    }

    @Test
    void allZeroMapStaysFinite() {
        float[][] m = Heatmaps.postProcess(new double[][] {{-1, -2}, {0, -3}}, 4, 4);
        for (float[] row : m) {
            for (float v : row) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void bilinearResizeUsesHalfPixelCentres() {
        // 1x2 → 1x4: dst x=0 → src -0.25 → clamp 0 → 0; x=1 → 0.25 → 2.5; x=2 → 0.75 → 7.5; x=3 → 1.25 → 10
        double[][] r = Heatmaps.resizeBilinear(new double[][] {{0, 10}}, 1, 4);
        assertEquals(0, r[0][0], 1e-12);
        assertEquals(2.5, r[0][1], 1e-12);
        assertEquals(7.5, r[0][2], 1e-12);
        assertEquals(10, r[0][3], 1e-12);
        assertEquals(Nd4j.create(new double[] {0}).getDouble(0), 0.0);
    }
}
