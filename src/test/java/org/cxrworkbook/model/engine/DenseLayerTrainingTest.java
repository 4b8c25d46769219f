package org.cxrworkbook.model.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
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
 * One dense layer trained in oneDNN against the same six vertices of a real DenseNet121 graph, run the way the graph
 * trains them (doForward in training mode with its BatchNorm helper, doBackward in reverse): output, input gradient
 * and the six parameter gradients, as max |engine − graph| / max |graph|.
 */
class DenseLayerTrainingTest {

    /** Float32; BatchNorm's backward sums over n·h·w in another order than DL4J's two-pass helper. */
    static final double TOLERANCE = 1e-4;
    static final String LAYER = "conv3_block4";
    static final List<String> VERTICES = List.of("_0_bn", "_0_relu", "_1_conv", "_1_bn", "_1_relu", "_2_conv");

    static ComputationGraph net;

    @BeforeAll
    static void build() {
        net = DenseNet.build(DenseNetConfig.densenet121());
        FrozenBaseTest.randomizeBatchNorm(net, 21); // gamma and beta matter in training; mean and var do not
        net.initGradientsView(); // the layers write their gradients into views of it
    }

    /** The graph's own vertices of {@code LAYER}: output, input gradient and parameter gradients keyed as DL4J's. */
    static Map<String, INDArray> viaGraph(ComputationGraph g, INDArray x, INDArray gradOut) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray a = x;
        for (String v : VERTICES) {
            GraphVertex gv = g.getVertex(LAYER + v);
            gv.setInput(0, a, mgr);
            a = gv.doForward(true, mgr);
        }
        Map<String, INDArray> r = new LinkedHashMap<>();
        r.put("output", a.dup());
        INDArray eps = gradOut;
        for (int i = VERTICES.size() - 1; i >= 0; i--) {
            GraphVertex gv = g.getVertex(LAYER + VERTICES.get(i));
            gv.setEpsilon(eps);
            Pair<Gradient, INDArray[]> p = gv.doBackward(false, mgr);
            eps = p.getSecond()[0];
            if (p.getFirst() != null) {
                for (Map.Entry<String, INDArray> e : p.getFirst().gradientForVariable().entrySet()) {
                    String key = e.getKey().substring(e.getKey().lastIndexOf('_') + 1);
                    r.put(LAYER + VERTICES.get(i) + "_" + key, e.getValue().dup());
                }
            }
        }
        r.put("input", eps.dup());
        return r;
    }

    static Map<String, INDArray> viaEngine(DenseLayerTraining t, ComputationGraph g, INDArray x, INDArray gradOut) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        r.put("output", t.forward(g, x));
        DenseLayerTraining.Gradients grads = t.backward(gradOut);
        r.putAll(grads.params());
        r.put("input", grads.input());
        return r;
    }

    static Map.Entry<String, Double> worst(Map<String, INDArray> engine, Map<String, INDArray> graph) {
        assertEquals(graph.keySet(), engine.keySet());
        String worstKey = null;
        double worst = -1;
        for (String k : graph.keySet()) {
            assertEquals(java.util.Arrays.toString(graph.get(k).shape()), java.util.Arrays.toString(engine.get(k).shape()), k);
            double e = engine.get(k).sub(graph.get(k)).amaxNumber().doubleValue()
                    / graph.get(k).amaxNumber().doubleValue();
            System.out.printf(Locale.ROOT, "  %-26s max rel. error %.2e%n", k, e);
            if (e > worst) {
                worst = e;
                worstKey = k;
            }
        }
        return Map.entry(worstKey, worst);
    }

    @Test
    void outputAndEveryGradientAgreeWithTheGraphsVertices() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 224, 8, 8);
        INDArray gradOut = Nd4j.randn(DataType.FLOAT, 4, 32, 8, 8);
        DenseLayerTraining t = new DenseLayerTraining(LAYER, 4, 224, 8, 8, 128, 32, 1.001e-5);
        Map<String, INDArray> engine = viaEngine(t, net, x, gradOut);
        Map<String, INDArray> graph = viaGraph(net, x, gradOut);
        // DL4J's BatchNorm puts its running-statistics step into the gradient: (running − batch) · (1 − decay) for the
        // mean and the biased variance; the engine's batch statistics give the same step (what a training engine
        // has to apply)
        double decay = DenseNetConfig.densenet121().bnDecay();
        Map<String, INDArray> stats = new LinkedHashMap<>();
        for (String k : List.of("_mean", "_var")) {
            for (String bn : List.of("_0_bn", "_1_bn")) {
                stats.put(LAYER + bn + k, graph.remove(LAYER + bn + k));
            }
        }
        assertEquals(8, graph.size(), "output, input gradient and six parameter gradients: " + graph.keySet());
        Map.Entry<String, Double> w = worst(engine, graph);
        for (String bn : List.of("_0_bn", "_1_bn")) {
            INDArray running = net.getLayer(LAYER + bn).getParam("mean").reshape(-1);
            INDArray step = running.sub(t.batchMeans().get(LAYER + bn)).mul(1 - decay);
            assertEquals(0, step.sub(stats.get(LAYER + bn + "_mean").reshape(-1)).amaxNumber().doubleValue(), 1e-6, bn);
            INDArray runningVar = net.getLayer(LAYER + bn).getParam("var").reshape(-1);
            INDArray varStep = runningVar.sub(t.batchVariances().get(LAYER + bn)).mul(1 - decay);
            assertEquals(0, varStep.sub(stats.get(LAYER + bn + "_var").reshape(-1)).amaxNumber().doubleValue(), 1e-6, bn);
        }
        assertTrue(w.getValue() < TOLERANCE, "worst: " + w);
        // the batch statistics BN normalised with: mean and biased variance of the input over n, h, w
        INDArray mean = x.mean(0, 2, 3);
        INDArray var = x.var(false, 0, 2, 3);
        assertEquals(0, t.batchMeans().get(LAYER + "_0_bn").sub(mean).amaxNumber().doubleValue(), 1e-5);
        assertEquals(0, t.batchVariances().get(LAYER + "_0_bn").sub(var).amaxNumber().doubleValue(), 1e-4);
        // a second step on other data reuses the compiled primitives
        INDArray x2 = Nd4j.randn(DataType.FLOAT, 4, 224, 8, 8);
        Map<String, INDArray> graph2 = viaGraph(net, x2, gradOut);
        graph2.keySet().removeIf(k -> k.endsWith("_mean") || k.endsWith("_var"));
        Map.Entry<String, Double> w2 = worst(viaEngine(t, net, x2, gradOut), graph2);
        assertTrue(w2.getValue() < TOLERANCE, "second step, worst: " + w2);
        t.close();
    }

    @Test
    void aChangedGammaOrWeightFailsTheComparison() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 224, 8, 8);
        INDArray gradOut = Nd4j.randn(DataType.FLOAT, 4, 32, 8, 8);
        Map<String, INDArray> graph = viaGraph(net, x, gradOut);
        graph.keySet().removeIf(k -> k.endsWith("_mean") || k.endsWith("_var"));
        DenseLayerTraining t = new DenseLayerTraining(LAYER, 4, 224, 8, 8, 128, 32, 1.001e-5);
        ComputationGraph mutated = net.clone();
        INDArray gamma = mutated.getLayer(LAYER + "_1_bn").getParam("gamma");
        gamma.putScalar(0, 5, gamma.getDouble(0, 5) * 1.05);
        Map.Entry<String, Double> w = worst(viaEngine(t, mutated, x, gradOut), graph);
        assertTrue(w.getValue() > TOLERANCE, "one gamma 5 % off must show: " + w);
        ComputationGraph mutated2 = net.clone();
        INDArray weight = mutated2.getLayer(LAYER + "_2_conv").getParam("W");
        weight.putScalar(new long[] {3, 7, 1, 1}, weight.getDouble(3, 7, 1, 1) + 0.05);
        Map.Entry<String, Double> w2 = worst(viaEngine(t, mutated2, x, gradOut), graph);
        assertTrue(w2.getValue() > TOLERANCE, "one weight +0.05 must show: " + w2);
        t.close();
    }
}
