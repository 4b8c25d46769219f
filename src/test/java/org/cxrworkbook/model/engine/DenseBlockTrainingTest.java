package org.cxrworkbook.model.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole dense block trained in oneDNN against the same vertices of a real DenseNet121 graph (random weights, random
 * BN statistics), run the way the graph trains them: each layer's six vertices and its {@code _concat} merge vertex
 * forward in training mode, then backward in reverse with the merge vertex's two epsilons summed into the block input's
 * gradient. Compared: the block's output (its last concatenation), the block input's gradient, and every parameter
 * gradient of every layer (W, gamma, beta, and the running-statistics steps DL4J puts under mean and var), as
 * max |engine − graph| / max |graph|.
 */
class DenseBlockTrainingTest {

    /** Float32; BatchNorm's backward sums over n·h·w in another order than DL4J's two-pass helper. */
    static final double TOLERANCE = 1e-4;
    static final List<String> VERTICES = List.of("_0_bn", "_0_relu", "_1_conv", "_1_bn", "_1_relu", "_2_conv");
    static final double EPS = 1.001e-5;

    static ComputationGraph net;

    @BeforeAll
    static void build() {
        net = DenseNet.build(DenseNetConfig.densenet121());
        FrozenBaseTest.randomizeBatchNorm(net, 31);
        net.initGradientsView();
    }

    /** The graph's own vertices of block {@code stage}: output, input gradient and every parameter gradient. */
    static Map<String, INDArray> viaGraph(ComputationGraph g, String stage, int layers, INDArray x, INDArray gradOut) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray a = x;
        for (int l = 1; l <= layers; l++) {
            String name = stage + "_block" + l;
            INDArray o = a;
            for (String v : VERTICES) {
                GraphVertex gv = g.getVertex(name + v);
                gv.setInput(0, o, mgr);
                o = gv.doForward(true, mgr);
            }
            GraphVertex concat = g.getVertex(name + "_concat");
            concat.setInput(0, a, mgr);
            concat.setInput(1, o, mgr);
            a = concat.doForward(true, mgr);
        }
        Map<String, INDArray> r = new LinkedHashMap<>();
        r.put("output", a.dup());
        INDArray eps = gradOut;
        for (int l = layers; l >= 1; l--) {
            String name = stage + "_block" + l;
            GraphVertex concat = g.getVertex(name + "_concat");
            concat.setEpsilon(eps);
            INDArray[] split = concat.doBackward(false, mgr).getSecond();
            INDArray e = split[1];
            for (int i = VERTICES.size() - 1; i >= 0; i--) {
                GraphVertex gv = g.getVertex(name + VERTICES.get(i));
                gv.setEpsilon(e);
                Pair<Gradient, INDArray[]> p = gv.doBackward(false, mgr);
                e = p.getSecond()[0];
                if (p.getFirst() != null) {
                    for (Map.Entry<String, INDArray> ge : p.getFirst().gradientForVariable().entrySet()) {
                        String key = ge.getKey().substring(ge.getKey().lastIndexOf('_') + 1);
                        r.put(name + VERTICES.get(i) + "_" + key, ge.getValue().dup().reshape(-1));
                    }
                }
            }
            eps = split[0].add(e); // the layer's input gradient adds into the gradient of all earlier channels
        }
        r.put("input", eps.dup());
        return r;
    }

    /** The engine's output, input gradient and the gradients it wrote into {@code g}'s gradient view. */
    static Map<String, INDArray> viaEngine(DenseBlockTraining t, ComputationGraph g, String stage, int layers,
                                           INDArray x, INDArray gradOut) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        r.put("output", t.forward(g, x));
        INDArray in = t.backward(gradOut);
        for (int l = layers; l >= 1; l--) {
            String name = stage + "_block" + l;
            for (String v : VERTICES) {
                Layer layer = g.getLayer(name + v);
                if (layer.numParams() == 0) {
                    continue;
                }
                Map<String, INDArray> views = layer.conf().getLayer().initializer()
                        .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
                views.forEach((k, a) -> r.put(name + v + "_" + k, a.dup().reshape(-1)));
            }
        }
        r.put("input", in);
        return r;
    }

    /** Max relative error per compared quantity, the worst of each kind printed; returns the worst overall. */
    static Map.Entry<String, Double> worst(Map<String, INDArray> engine, Map<String, INDArray> graph) {
        assertEquals(graph.keySet(), engine.keySet());
        Map<String, double[]> byKind = new LinkedHashMap<>();
        String worstKey = null;
        double worst = -1;
        for (String k : graph.keySet()) {
            assertEquals(Arrays.toString(graph.get(k).shape()), Arrays.toString(engine.get(k).shape()), k);
            double e = engine.get(k).sub(graph.get(k)).amaxNumber().doubleValue()
                    / graph.get(k).amaxNumber().doubleValue();
            String kind = k.contains("_block") ? k.substring(k.indexOf('_', k.indexOf("_block") + 1)) : k;
            byKind.merge(kind, new double[] {e}, (p, q) -> new double[] {Math.max(p[0], q[0])});
            if (!(e <= worst)) {
                worst = e;
                worstKey = k;
            }
        }
        byKind.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-14s max rel. error %.2e%n", k, v[0]));
        return Map.entry(worstKey, worst);
    }

    /** Two successive steps of block {@code stage}, the graph's parameters updated by SGD in between. */
    static void twoSteps(String stage, int layers, int c0, int side, long seed) {
        ComputationGraph engineGraph = net.clone();
        engineGraph.initGradientsView();
        ComputationGraph graph = net.clone();
        graph.initGradientsView();
        DenseBlockTraining t = new DenseBlockTraining(stage, layers, 2, c0, side, side, 128, 32, EPS);
        assertEquals(c0 + 32 * layers, t.outputChannels());
        Nd4j.getRandom().setSeed(seed);
        for (int step = 1; step <= 2; step++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, c0, side, side);
            INDArray gradOut = Nd4j.randn(DataType.FLOAT, 2, t.outputChannels(), side, side);
            Map<String, INDArray> expected = viaGraph(graph, stage, layers, x, gradOut);
            assertEquals(2 + 10 * layers, expected.size(), "output, input, 2 W + 2 × 4 BN gradients per layer");
            Map<String, INDArray> actual = viaEngine(t, engineGraph, stage, layers, x, gradOut);
            System.out.println(stage + ", step " + step + ":");
            Map.Entry<String, Double> w = worst(actual, expected);
            assertTrue(w.getValue() < TOLERANCE, stage + " step " + step + ", worst: " + w);
            // both graphs take the same SGD step (the graph's gradients), so step 2 runs on changed parameters
            INDArray update = graph.getGradientsViewArray().reshape(graph.params().shape()).mul(0.05);
            graph.params().subi(update);
            engineGraph.params().subi(update);
        }
        t.close();
    }

    @Test
    void blockTwoOfSixLayersAgreesWithTheGraph() {
        twoSteps("conv2", 6, 64, 16, 5); // DenseNet121's conv2 block at a 64² input: 2 × 64 × 16 × 16 → 256 channels
    }

    @Test
    void blockFiveOfSixteenLayersAgreesWithTheGraph() {
        twoSteps("conv5", 16, 512, 2, 6); // conv5 at a 64² input: 2 × 512 × 2 × 2 → 1024 channels
    }

    @Test
    void aChangedWeightOrRunningMeanFailsTheComparison() {
        ComputationGraph graph = net.clone();
        graph.initGradientsView();
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 64, 16, 16);
        INDArray gradOut = Nd4j.randn(DataType.FLOAT, 2, 256, 16, 16);
        Map<String, INDArray> expected = viaGraph(graph, "conv2", 6, x, gradOut);
        DenseBlockTraining t = new DenseBlockTraining("conv2", 6, 2, 64, 16, 16, 128, 32, EPS);

        ComputationGraph mutated = net.clone();
        mutated.initGradientsView();
        INDArray w = mutated.getLayer("conv2_block2_1_conv").getParam("W");
        w.putScalar(new long[] {5, 40, 0, 0}, w.getDouble(5, 40, 0, 0) + 0.05);
        System.out.println("conv2, conv2_block2_1_conv W[5, 40, 0, 0] + 0.05 in the engine's graph:");
        Map.Entry<String, Double> worstW = worst(viaEngine(t, mutated, "conv2", 6, x, gradOut), expected);
        assertTrue(worstW.getValue() > TOLERANCE, "one 1×1 weight +0.05 must show: " + worstW);

        ComputationGraph mutated2 = net.clone();
        mutated2.initGradientsView();
        INDArray mean = mutated2.getLayer("conv2_block5_0_bn").getParam("mean");
        mean.putScalar(0, 3, mean.getDouble(0, 3) + 0.5);
        System.out.println("conv2, conv2_block5_0_bn running mean[3] + 0.5 in the engine's graph:");
        Map.Entry<String, Double> worstM = worst(viaEngine(t, mutated2, "conv2", 6, x, gradOut), expected);
        assertTrue(worstM.getValue() > TOLERANCE, "one running mean +0.5 must show in its step: " + worstM);
        assertEquals("conv2_block5_0_bn_mean", worstM.getKey());

        ComputationGraph clean = net.clone();
        clean.initGradientsView();
        System.out.println("conv2, unmutated:");
        Map.Entry<String, Double> ok = worst(viaEngine(t, clean, "conv2", 6, x, gradOut), expected);
        assertTrue(ok.getValue() < TOLERANCE, "unmutated: " + ok);
        t.close();
    }
}
