package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ROCBinary;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ValidationTest {

    private static final double[][] LABELS = {{1, 1, 0}, {0, 0, 0}, {1, 1, 0}, {0, 0, 0}};
    private static final double[][] SCORES = {{0.9, 0.2, 0.1}, {0.8, 0.2, 0.2}, {0.3, 0.7, 0.3}, {0.1, 0.4, 0.4}};

    @Test
    void aucMatchesHandCountOfOrderedPairsAndSkipsOneClassColumns() {
        // column 0: positives score 0.9, 0.3; negatives 0.8, 0.1 → pairs won: (0.9>0.8),(0.9>0.1),(0.3>0.1) = 3 of 4
        // column 1: positives 0.2 (tied with negative 0.2) and 0.7; negatives 0.2, 0.4 → 0.5 + 0 + 1 + 1 = 2.5 of 4
        // column 2: no positive → undefined
        double[] aucs = Validation.aucs(Nd4j.create(LABELS), Nd4j.create(SCORES));
        assertEquals(0.75, aucs[0], 1e-12);
        assertEquals(0.625, aucs[1], 1e-12);
        assertTrue(Double.isNaN(aucs[2]));
        assertEquals((0.75 + 0.625) / 2, Validation.meanDefined(aucs), 1e-12);
    }

    @Test
    void dl4jExactRocCountsTiesAsWinsWhichIsWhyRankAucIsUsed() {
        ROCBinary roc = new ROCBinary(0);
        roc.eval(Nd4j.create(LABELS), Nd4j.create(SCORES));
        assertEquals(0.75, roc.calculateAUC(0), 1e-12); // agrees without ties
        assertEquals(0.75, roc.calculateAUC(1), 1e-12); // the tie counted as a full win (hand count: 0.625)
    }

    @Test
    void validationLossEqualsDl4jScoreOfTheSameBatch() {
        ComputationGraph g = TinyData.graph(8, 1, 3, true, 4);
        DataSet d = TinyData.textures(16, 8, 9);
        ValidationResult r = Validation.evaluate(g, new TinyData.ShufflingIterator(d, 5, 1), 0);
        assertEquals(16, r.images());
        // DL4J's score: mean over examples of the summed per-output cross-entropy, computed from the pre-activations
        assertEquals(g.score(d, false), r.loss(), 1e-4);
        assertEquals(3, r.aucs().length);
    }

    @Test
    void aDenseNetIsValidatedThroughTheEngineWithTheGraphsNumbers() {
        org.cxrworkbook.model.DenseNetConfig c = org.cxrworkbook.model.DenseNetConfig.small().toBuilder()
                .inputSize(32).build();
        ComputationGraph g = org.cxrworkbook.model.DenseNet.build(c);
        Nd4j.getRandom().setSeed(8);
        for (org.deeplearning4j.nn.api.Layer l : g.getLayers()) { // running mean and variance away from 0 and 1
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                l.getParam("mean").assign(Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, l.getParam("mean")
                        .shape()).muli(0.3));
                l.getParam("var").assign(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, l.getParam("var")
                        .shape()).addi(0.5));
            }
        }
        org.nd4j.linalg.api.ndarray.INDArray x = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 3, 32, 32);
        org.nd4j.linalg.api.ndarray.INDArray y = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 14).gt(0.5)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        DataSet d = new DataSet(x, y);
        assertEquals("onednn", org.cxrworkbook.model.engine.FrozenBase.predictionsPath(g, x));
        ValidationResult engine = Validation.evaluate(g, new org.deeplearning4j.datasets.iterator.utilty
                .ListDataSetIterator<>(d.asList(), 4), 0);
        assertEquals(0, org.cxrworkbook.model.engine.FrozenBase.compiledEngines(g), "released after the pass");
        System.setProperty(org.cxrworkbook.model.engine.FrozenBase.PROPERTY, "graph");
        ValidationResult graph;
        try {
            graph = Validation.evaluate(g, new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                    d.asList(), 4), 0);
        } finally {
            System.clearProperty(org.cxrworkbook.model.engine.FrozenBase.PROPERTY);
        }
        assertEquals(6, engine.images());
        assertEquals(graph.loss(), engine.loss(), 1e-5 * graph.loss());
        assertEquals(g.score(d, false), engine.loss(), 1e-4);
        for (int i = 0; i < 14; i++) { // six images: any score difference that swapped two would move an AUC
            assertEquals(graph.aucs()[i], engine.aucs()[i], 0.0, "finding " + i);
        }
    }

    @Test
    void historyRoundTripsThroughJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        TrainingHistory h = new TrainingHistory(List.of(new EpochResult(1, 0.5, Double.NaN, Double.NaN, 1e-3, 3.5, 10, 4),
                new EpochResult(2, 0.4, 0.45, 0.7, 1e-4, 3.6, 11, 4)), "completed 2 epochs");
        TrainingHistory back = TrainingHistory.load(h.save(dir.resolve("h.json")));
        assertEquals(h.epochs(), back.epochs());
        assertEquals(2, back.bestEpoch().getAsInt());
        assertEquals("completed 2 epochs", back.stopReason());
    }

    @Test
    void progressLineShowsLossRateAndEta() {
        ProgressBar bar = new ProgressBar(System.err, "epoch 1/3", 10);
        String line = bar.line(5, 40, 0.5, 10.0);
        assertEquals("epoch 1/3 [############............] 5/10 loss 0.5000  4.00 img/s  ETA 0:10  0:10 elapsed", line);
        assertEquals("1:01:05", ProgressBar.clock(3665));
    }
}
