package org.cxrworkbook.model.engine;

import static org.cxrworkbook.model.engine.FrozenBaseTest.TOLERANCE;
import static org.cxrworkbook.model.engine.FrozenBaseTest.images;
import static org.cxrworkbook.model.engine.FrozenBaseTest.randomizeBatchNorm;
import static org.cxrworkbook.model.engine.FrozenBaseTest.relError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link FrozenBase#predictions}: a whole DenseNet121's output (base on oneDNN up to avg_pool, then the graph's own
 * {@code predictions} layer) against {@code graph.outputSingle(false, x)} on the same weights, random BatchNorm
 * statistics as in {@link FrozenBaseTest}, max |engine − graph| / max |graph|; head-only graphs on the graph, silently;
 * release and reuse.
 */
class FrozenBasePredictionsTest {

    static ComputationGraph net;

    @BeforeAll
    static void build() {
        net = DenseNet.build(DenseNetConfig.densenet121().toBuilder().inputSize(64).build());
        randomizeBatchNorm(net, 21);
        // a non-zero bias too, so a head that dropped it would show
        net.getLayer(DenseNet.HEAD).getParam("b").assign(FrozenBaseTest.gauss(new Random(22), 14, 0.0, 0.5));
    }

    @AfterEach
    void clearSwitch() {
        System.clearProperty(FrozenBase.PROPERTY);
    }

    static double check(ComputationGraph g, INDArray x) {
        assertEquals("onednn", FrozenBase.predictionsPath(g, x));
        INDArray want = g.outputSingle(false, x);
        INDArray got = FrozenBase.predictions(g, x);
        assertTrue(FrozenBase.compiledEngines(g) > 0, "the engine ran (an engine is compiled for the graph)");
        double err = relError(got, want);
        System.out.printf(Locale.ROOT, "predictions engine vs graph, input %s: max rel. error %.2e (max |graph| %.3g)%n",
                java.util.Arrays.toString(x.shape()), err, want.amaxNumber().doubleValue());
        assertEquals(14, got.size(1));
        assertTrue(err < TOLERANCE, "predictions: " + err);
        if (x.size(0) > 1) { // the images' predictions differ by far more than the tolerance: a swap would show
            double apart = relError(want.getRow(0), want.getRow(1));
            assertTrue(apart > 100 * TOLERANCE, "images 0 and 1 apart by " + apart);
        }
        return err;
    }

    @Test
    void predictionsAgreeWithTheGraphAtBatch2And1() {
        check(net, images(2, 64, 31));
        check(net, images(1, 64, 32));
    }

    @Test
    void aChangedBatchNormMeanOrHeadBiasFailsTheComparison() {
        INDArray x = images(2, 64, 33);
        INDArray engine = FrozenBase.predictions(net, x);
        ComputationGraph mutated = net.clone();
        INDArray mean = mutated.getLayer("conv3_block5_1_bn").getParam("mean");
        mean.putScalar(0, 7, mean.getDouble(0, 7) - 0.5); // lowered, a channel the ReLU zeroed would not show
        double err = relError(engine, mutated.outputSingle(false, x));
        System.out.printf(Locale.ROOT, "mutation: one running mean -0.5 -> predictions max rel. error %.2e%n", err);
        assertTrue(err > TOLERANCE, "one BN mean changed by 0.5 must show: " + err);

        ComputationGraph mutated2 = net.clone();
        INDArray b = mutated2.getLayer(DenseNet.HEAD).getParam("b");
        b.putScalar(0, 5, b.getDouble(0, 5) + 0.05);
        double err2 = relError(engine, mutated2.outputSingle(false, x));
        System.out.printf(Locale.ROOT, "mutation: one head bias +0.05 -> predictions max rel. error %.2e%n", err2);
        assertTrue(err2 > TOLERANCE, "one head bias changed by 0.05 must show: " + err2);
    }

    @Test
    void releaseFreesTheEnginesAndTheGraphCompilesAgainWhenUsedAgain() {
        ComputationGraph g = net.clone();
        INDArray x = images(2, 64, 34);
        INDArray first = FrozenBase.predictions(g, x);
        FrozenBase.output(g, "pool3_pool", x);
        assertEquals(2, FrozenBase.compiledEngines(g));
        FrozenBase.release(g);
        assertEquals(0, FrozenBase.compiledEngines(g));
        FrozenBase.release(g); // nothing left: no error
        check(g, x);
        assertEquals(1, FrozenBase.compiledEngines(g));
        assertEquals(0, relError(FrozenBase.predictions(g, x), first), 1e-7, "same engine numbers after recompiling");
    }

    @Test
    void headOnlyGraphsRunOnTheGraphSilentlyAndDenseNetsTheEngineRefusesSayWhy() {
        // stage 1/2: the layers after a boundary, fed cached activations (no stem)
        ComputationGraph top = new TransferLearningHelper(net.clone(), "conv5_block15_concat").unfrozenGraph();
        INDArray acts = FrozenBase.output(net, "conv5_block15_concat", images(2, 64, 35));
        Set<String> before = FrozenBase.reported();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        INDArray got;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            got = FrozenBase.predictions(top, acts);
        } finally {
            System.setErr(saved);
        }
        assertEquals(top.outputSingle(false, acts), got);
        assertEquals(before, FrozenBase.reported(), "nothing reported for a head-only graph");
        assertEquals("", err.toString(StandardCharsets.UTF_8), "no log line for a head-only graph");
        assertEquals(0, FrozenBase.compiledEngines(top));
        assertTrue(FrozenBase.predictionsPath(top, acts).contains("head-only"), FrozenBase.predictionsPath(top, acts));

        // a DenseNet the engine does not run (float64) falls back with its reason, reported once
        ComputationGraph dbl = DenseNet.build(DenseNetConfig.small().toBuilder().dataType(DataType.DOUBLE).build());
        INDArray xd = Nd4j.randn(DataType.DOUBLE, 2, 3, 64, 64);
        assertTrue(FrozenBase.predictionsPath(dbl, xd).contains("float32"), FrozenBase.predictionsPath(dbl, xd));
        assertEquals(dbl.outputSingle(false, xd), FrozenBase.predictions(dbl, xd));
        assertTrue(FrozenBase.reported().stream().anyMatch(s -> s.startsWith("predictions: ") && s.contains("float32")),
                FrozenBase.reported().toString());

        // the switch keeps the graph
        System.setProperty(FrozenBase.PROPERTY, "graph");
        ComputationGraph g = net.clone();
        INDArray x = images(1, 64, 36);
        assertTrue(FrozenBase.predictionsPath(g, x).contains("switched off"), FrozenBase.predictionsPath(g, x));
        assertEquals(g.outputSingle(false, x), FrozenBase.predictions(g, x));
        assertEquals(0, FrozenBase.compiledEngines(g));
    }
}
