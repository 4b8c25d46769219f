package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerParallelTest {

    private static final int SIZE = 8;

    @Test
    void twoWorkersTrainTheGraphWriteCheckpointsAndHistory(@TempDir Path dir) {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, true, 1);
        double untrainedAuc = Validation.evaluate(g, TrainerTest.iterator(48, 2, 6), 0).meanAuc();
        TrainingHistory h = Trainer.fit(g, TrainerTest.iterator(96, 1, 5), TrainerTest.iterator(48, 2, 6),
                TrainerTest.config().epochs(6).workers(2).checkpointDir(dir).build());
        System.out.println("untrained val AUC " + untrainedAuc + "\n" + h);
        assertEquals(6, h.size());
        assertEquals(12, h.last().batches()); // 96 images in batches of 8, all served to the two workers
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss(), h.toString());
        assertTrue(h.last().valMeanAuc() > untrainedAuc + 0.1 && h.last().valMeanAuc() > 0.75,
                "untrained " + untrainedAuc + "\n" + h);
        assertEquals(6, TrainingHistory.load(dir.resolve("history.json")).size());
        CheckpointStore.Checkpoint last = new CheckpointStore(dir).latest().orElseThrow();
        assertEquals(6, last.state().epochsCompleted());
        assertEquals(2, ((Number) last.state().config().get("workers")).intValue());
    }

    @Test
    void plateauLowersTheLearningRateOfANewWrapperThenStopsEarly() {
        // as in TrainerTest: at 1e-9 the ranking of the predictions, hence val AUC, does not change after epoch 1
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, false, 1);
        TrainingHistory h = Trainer.fit(g, TrainerTest.iterator(32, 1, 5), TrainerTest.iterator(32, 2, 6),
                TrainerTest.config().epochs(10).learningRate(1e-9).workers(2).reduceLrPatience(1).reduceLrFactor(0.5)
                        .minLearningRate(1e-12).earlyStoppingPatience(2).build());
        assertEquals(List.of(1e-9, 1e-9, 5e-10), h.epochs().stream().map(EpochResult::learningRate).toList());
        assertTrue(h.stopReason().startsWith("early stopping after epoch 3"), h.stopReason());
    }

    @Test
    void maxBatchesPerEpochCapsTheParallelEpoch() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, false, 1);
        TrainingHistory h = Trainer.fit(g, TrainerTest.iterator(64, 1, 5), null,
                TrainerTest.config().epochs(2).workers(2).maxBatchesPerEpoch(3).build());
        assertEquals(3, h.epochs().get(0).batches());
        assertEquals(3, h.last().batches());
    }

    @Test
    void labelsOfWrongWidthAreRejectedBeforeTheWrapperStarts() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 14, false, 1);
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(g, TrainerTest.iterator(16, 1, 5), null, TrainerTest.config().workers(2).build()));
        assertTrue(e.getMessage().contains("14 outputs"), e.getMessage());
    }

    @Test
    void hugeLearningRateDivergesWithClearMessageNamingTheEpoch() {
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.fit(TinyData.graph(SIZE, 1, 3, true, 1), TrainerTest.iterator(64, 1, 5), null,
                        TrainerTest.config().epochs(5).learningRate(1e30).workers(2).build()));
        assertTrue(e.getMessage().matches("(?s)training loss became (NaN|infinite) at epoch \\d+ \\(2 workers.*"),
                e.getMessage());
    }

    @Test
    void fewerThanOneWorkerIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerConfig.builder().workers(0).build());
        assertEquals("workers must be at least 1 (1 = no data parallelism), got 0", e.getMessage());
        assertEquals(1, TrainerConfig.builder().build().workers());
    }
}
