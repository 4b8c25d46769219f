package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class TrainerTest {

    private static final int SIZE = 8;

    static TinyData.ShufflingIterator iterator(int n, long dataSeed, long shuffleSeed) {
        return new TinyData.ShufflingIterator(TinyData.textures(n, SIZE, dataSeed), 8, shuffleSeed);
    }

    static TrainerConfig.Builder config() {
        return TrainerConfig.builder().epochs(4).learningRate(1e-2).seed(7).progress(false)
                .reduceLrPatience(0).earlyStoppingPatience(0).restoreBest(false);
    }

    @Test
    void lossDecreasesAndAucBeatsChanceOnTinyDataset() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, true, 1);
        TrainingHistory h = Trainer.fit(g, iterator(96, 1, 5), iterator(48, 2, 6), config().epochs(6).build());
        System.out.println(h);
        assertEquals(6, h.size());
        assertTrue(h.last().trainLoss() < 0.7 * h.epochs().get(0).trainLoss(), h.toString());
        assertTrue(h.last().valMeanAuc() > 0.85, h.toString());
        assertEquals(12, h.last().batches());
    }

    @Test
    void sameSeedGivesSameHistoryAndParameters() {
        ComputationGraph a = TinyData.graph(SIZE, 1, 3, true, 1);
        ComputationGraph b = TinyData.graph(SIZE, 1, 3, true, 1);
        TrainingHistory ha = Trainer.fit(a, iterator(32, 1, 5), iterator(16, 2, 6), config().epochs(2).build());
        TrainingHistory hb = Trainer.fit(b, iterator(32, 1, 5), iterator(16, 2, 6), config().epochs(2).build());
        for (int i = 0; i < 2; i++) {
            assertEquals(ha.epochs().get(i).trainLoss(), hb.epochs().get(i).trainLoss(), 1e-7);
            assertEquals(ha.epochs().get(i).valMeanAuc(), hb.epochs().get(i).valMeanAuc(), 1e-9);
        }
        assertEquals(0.0, a.params().sub(b.params()).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void maxBatchesPerEpochCapsTheEpoch() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, false, 1);
        TrainingHistory h = Trainer.fit(g, iterator(64, 1, 5), null, config().epochs(1).maxBatchesPerEpoch(3).build());
        assertEquals(3, h.last().batches());
        assertTrue(Double.isNaN(h.last().valMeanAuc()));
    }

    @Test
    void adamIsInstalledWithConfiguredBetasAndLearningRate() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, false, 1);
        Trainer.fit(g, iterator(16, 1, 5), null, config().epochs(1).learningRate(3e-3).beta1(0.8).beta2(0.99).build());
        org.nd4j.linalg.learning.config.Adam adam = (org.nd4j.linalg.learning.config.Adam)
                ((org.deeplearning4j.nn.conf.layers.BaseLayer) g.getLayer("conv2").conf().getLayer()).getIUpdater();
        assertEquals(0.8, adam.getBeta1(), 0);
        assertEquals(0.99, adam.getBeta2(), 0);
        assertEquals(3e-3, g.getLearningRate("conv2"), 1e-12);
        // Adam keeps two moments per parameter (graph without BN: every parameter is trained)
        assertEquals(2 * g.numParams(), g.getUpdater().getStateViewArray().length());
    }

    @Test
    void injectedNaNStopsWithEpochAndBatch() {
        DataSet d = TinyData.textures(32, SIZE, 1);
        TinyData.ShufflingIterator it = new TinyData.ShufflingIterator(d, 8, 5);
        it.nanAtReset = 2; // last (4th) batch of epoch 2
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(TinyData.graph(SIZE, 1, 3, false, 1), it, null, config().epochs(3).build()));
        assertTrue(e.getMessage().contains("NaN at epoch 2, batch 4"), e.getMessage());
    }

    @Test
    void hugeLearningRateDivergesWithClearMessage() {
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(TinyData.graph(SIZE, 1, 3, true, 1), iterator(64, 1, 5), null,
                        config().epochs(5).learningRate(1e30).build()));
        assertTrue(e.getMessage().matches("(?s)training loss became (NaN|infinite) at epoch \\d+, batch \\d+.*"), e.getMessage());
    }

    @Test
    void labelsOfWrongWidthAreRejected() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 14, false, 1);
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(g, iterator(16, 1, 5), null, config().build()));
        assertTrue(e.getMessage().contains("[8, 3]") && e.getMessage().contains("14 outputs"), e.getMessage());
    }

    @Test
    void emptyTrainingSplitIsRejected() {
        DataSet empty = TinyData.textures(1, SIZE, 1);
        TinyData.ShufflingIterator it = new TinyData.ShufflingIterator(empty, 8, 5) {
            private static final long serialVersionUID = 1L;
            @Override public boolean hasNext() { return false; }
        };
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(TinyData.graph(SIZE, 1, 3, false, 1), it, null, config().build()));
        assertTrue(e.getMessage().contains("training data is empty"), e.getMessage());
    }

    @Test
    void plateauReducesLearningRateThenStopsEarly() {
        // A learning rate of 1e-9 leaves the predictions' ranking unchanged, so validation AUC never improves after epoch 1.
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, false, 1);
        TrainingHistory h = Trainer.fit(g, iterator(32, 1, 5), iterator(32, 2, 6), config().epochs(10).learningRate(1e-9)
                .reduceLrPatience(1).reduceLrFactor(0.5).minLearningRate(1e-12).earlyStoppingPatience(2).build());
        assertEquals(3, h.size(), h.toString());
        assertEquals(List.of(1e-9, 1e-9, 5e-10), h.epochs().stream().map(EpochResult::learningRate).toList());
        assertTrue(h.stopReason().startsWith("early stopping after epoch 3"), h.stopReason());
        assertEquals(1, h.bestEpoch().getAsInt());
    }

    @Test
    void bestParametersAreRestoredAndSavedAsBestCheckpoint(@TempDir Path dir) {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, true, 1);
        TrainingHistory h = Trainer.fit(g, iterator(32, 1, 5), iterator(16, 2, 6),
                config().epochs(3).restoreBest(true).checkpointDir(dir).build());
        CheckpointStore.Checkpoint best = new CheckpointStore(dir).best().orElseThrow();
        assertEquals(h.bestEpoch().getAsInt(), best.state().bestEpoch());
        assertArrayEquals(best.graph().params().toFloatVector(), g.params().toFloatVector(), 0f);
        assertTrue(dir.resolve("history.json").toFile().isFile());
        assertEquals(3, TrainingHistory.load(dir.resolve("history.json")).size());
    }

    @Test
    void nd4jIsFloat() {
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, TinyData.textures(2, 4, 1).getFeatures().dataType());
        assertTrue(Nd4j.getBackend() != null);
    }
}
