package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM training with checkpoints is killed (SIGKILL) mid-epoch; resuming loses at most that epoch. */
class KillResumeTest {

    static final int SIZE = 8;
    static final int EPOCHS = 4;

    static TinyData.ShufflingIterator data(long seed) {
        return new TinyData.ShufflingIterator(TinyData.textures(32, SIZE, seed), 8, seed + 100);
    }

    static TrainerConfig config(Path dir) {
        return TrainerConfig.builder().epochs(EPOCHS).learningRate(1e-2).seed(11).progress(false).checkpointDir(dir)
                .earlyStoppingPatience(0).reduceLrPatience(0).restoreBest(false).build();
    }

    /** Child process: trains slowly (sleep per batch) so the parent can kill it mid-epoch. */
    public static void main(String[] args) {
        TinyData.ShufflingIterator train = data(1);
        train.sleepMillis = Long.parseLong(args[1]);
        Trainer.fit(TinyData.graph(SIZE, 1, 3, true, 1), train, data(2), config(Path.of(args[0])));
    }

    @Test
    void killedTrainingResumesFromLastCompleteEpoch(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx512m",
                "-Dorg.eclipse.deeplearning4j.helpers.disable=false", "-cp", System.getProperty("java.class.path"),
                KillResumeTest.class.getName(), dir.toString(), "150")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        CheckpointStore store = new CheckpointStore(dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!store.epochs().contains(2) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(store.epochs().contains(2), "child did not reach epoch 2:\n" + Files.readString(dir.resolve("child.log")));
        Thread.sleep(250); // into epoch 3 (4 batches of 150 ms)
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2), store.epochs(), "killed in the middle of epoch 3");
        assertEquals("running: 2 of " + EPOCHS + " epochs completed",
                TrainingHistory.load(dir.resolve("history.json")).stopReason(), "the killed run's history does not claim completion");

        Trainer.TrainingRun run = Trainer.resume(data(1), data(2), config(dir));
        assertEquals(EPOCHS, run.history().size());
        assertEquals(List.of(1, 2, 3, 4), run.history().epochs().stream().map(EpochResult::epoch).toList());

        ComputationGraph straight = TinyData.graph(SIZE, 1, 3, true, 1);
        TrainingHistory full = Trainer.fit(straight, data(1), data(2), config(null).toBuilder().checkpointDir(null).build());
        for (int i = 0; i < EPOCHS; i++) {
            assertEquals(full.epochs().get(i).trainLoss(), run.history().epochs().get(i).trainLoss(), 1e-5, "epoch " + (i + 1));
        }
        assertEquals(0.0, straight.params().sub(run.graph().params()).amaxNumber().doubleValue(), 1e-4);
    }
}
