package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.engine.TrainingEngine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The trainer's single-model steps on the oneDNN training engine: a small DenseNet learns, and a NaN still stops it. */
class TrainerOnEngineTest {

    static final int SIZE = 32;

    static ComputationGraph smallDenseNet() {
        return DenseNet.build(DenseNetConfig.small().toBuilder().channels(1).classes(TinyData.CLASSES).inputSize(SIZE)
                .seed(3).build());
    }

    static TrainerConfig.Builder config() {
        return TrainerConfig.builder().epochs(4).learningRate(1e-2).seed(7).progress(false)
                .reduceLrPatience(0).earlyStoppingPatience(0).restoreBest(false);
    }

    @Test
    void aSmallDenseNetTrainsOnTheEngineAndLearns() {
        ComputationGraph g = smallDenseNet();
        assertEquals("onednn", TrainingEngine.path(g));
        TrainingHistory h = Trainer.fit(g, new TinyData.ShufflingIterator(TinyData.textures(64, SIZE, 1), 8, 5),
                new TinyData.ShufflingIterator(TinyData.textures(32, SIZE, 2), 8, 6), config().build());
        System.out.println(h);
        assertEquals(4, h.size());
        assertTrue(h.last().trainLoss() < 0.8 * h.epochs().get(0).trainLoss(), h.toString());
        assertTrue(h.last().valMeanAuc() > 0.7, h.toString());
        assertEquals(4 * 8, g.getConfiguration().getIterationCount(), "every step counted on the trained graph");
    }

    @Test
    void aNaNInABatchStillStopsTheRunWithEpochAndBatch() {
        TinyData.ShufflingIterator it = new TinyData.ShufflingIterator(TinyData.textures(32, SIZE, 1), 8, 5);
        it.nanAtReset = 1; // last (4th) batch of epoch 1
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(smallDenseNet(), it, null, config().epochs(2).build()));
        assertTrue(e.getMessage().contains("NaN at epoch 1, batch 4"), e.getMessage());
    }
}
