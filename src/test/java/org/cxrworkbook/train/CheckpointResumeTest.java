package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {

    private static final int SIZE = 8;

    private static TinyData.ShufflingIterator data(int size, long seed) {
        return new TinyData.ShufflingIterator(TinyData.textures(32, size, seed), 8, seed + 100);
    }

    private static TrainerConfig config(Path dir, int epochs) {
        return TrainerConfig.builder().epochs(epochs).learningRate(1e-2).seed(3).progress(false).checkpointDir(dir)
                .reduceLrPatience(1).reduceLrFactor(0.5).earlyStoppingPatience(0).restoreBest(false).keepCheckpoints(2).build();
    }

    @Test
    void crashMidEpochThenResumeGivesTheUninterruptedResult(@TempDir Path a, @TempDir Path b) {
        ComputationGraph straight = TinyData.graph(SIZE, 1, 3, true, 1);
        TrainingHistory full = Trainer.fit(straight, data(SIZE, 1), data(SIZE, 2), config(a, 3));

        ComputationGraph crashed = TinyData.graph(SIZE, 1, 3, true, 1);
        TinyData.ShufflingIterator failing = data(SIZE, 1);
        failing.failAtReset = 3; // third epoch, second batch
        failing.failAtBatch = 2;
        assertThrows(IllegalStateException.class, () -> Trainer.fit(crashed, failing, data(SIZE, 2), config(b, 3)));
        assertEquals(java.util.List.of(1, 2), new CheckpointStore(b).epochs());

        Trainer.TrainingRun resumed = Trainer.resume(data(SIZE, 1), data(SIZE, 2), config(b, 3));
        assertEquals(3, resumed.history().size());
        for (int i = 0; i < 3; i++) {
            EpochResult x = full.epochs().get(i);
            EpochResult y = resumed.history().epochs().get(i);
            assertEquals(x.trainLoss(), y.trainLoss(), 1e-6, "epoch " + (i + 1));
            assertEquals(x.valMeanAuc(), y.valMeanAuc(), 1e-9, "epoch " + (i + 1));
            assertEquals(x.learningRate(), y.learningRate(), 0, "epoch " + (i + 1));
        }
        assertArrayEquals(straight.params().toFloatVector(), resumed.graph().params().toFloatVector(), 1e-5f);
    }

    @Test
    void truncatedCheckpointIsRefusedAndThePreviousOneIsUsed(@TempDir Path dir) throws IOException {
        Trainer.fit(TinyData.graph(SIZE, 1, 3, true, 1), data(SIZE, 1), null, config(dir, 2));
        CheckpointStore store = new CheckpointStore(dir);
        Path last = store.modelFile(2);
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        TrainingException e = assertThrows(TrainingException.class, () -> store.load(2));
        assertTrue(e.getMessage().contains("epoch-0002.zip is damaged or incomplete"), e.getMessage());

        CheckpointStore.Checkpoint cp = store.latest().orElseThrow();
        assertEquals(1, cp.state().epochsCompleted());
        assertEquals(1, store.warnings().size());
        Trainer.TrainingRun run = Trainer.resume(data(SIZE, 1), null, config(dir, 3));
        assertEquals(3, run.history().size());
        assertEquals(java.util.List.of(2, 3), store.epochs());
    }

    @Test
    void leftoverTempFilesAndZipsWithoutSidecarAreIgnored(@TempDir Path dir) throws IOException {
        Trainer.fit(TinyData.graph(SIZE, 1, 3, false, 1), data(SIZE, 1), null, config(dir, 1));
        Files.write(dir.resolve("epoch-0002.zip123.tmp"), new byte[] {1, 2, 3});
        Files.copy(dir.resolve("epoch-0001.zip"), dir.resolve("epoch-0002.zip"));
        assertEquals(1, new CheckpointStore(dir).latest().orElseThrow().state().epochsCompleted());
    }

    @Test
    void noUsableCheckpointListsEveryProblem(@TempDir Path dir) throws IOException {
        Trainer.fit(TinyData.graph(SIZE, 1, 3, false, 1), data(SIZE, 1), null, config(dir, 1));
        Files.write(dir.resolve("epoch-0001.zip"), new byte[] {'P', 'K'});
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.resume(data(SIZE, 1), null, config(dir, 2)));
        assertTrue(e.getMessage().startsWith("no usable checkpoint in " + dir), e.getMessage());
        assertTrue(e.getMessage().contains("epoch-0001.zip is damaged"), e.getMessage());
    }

    @Test
    void checkpointFromAnotherInputSizeIsRejected(@TempDir Path dir) {
        Trainer.fit(TinyData.graph(SIZE, 1, 3, true, 1), data(SIZE, 1), null, config(dir, 1));
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.resume(data(12, 1), null, config(dir, 2)));
        assertTrue(e.getMessage().contains("trained on images of shape [1, 8, 8]")
                && e.getMessage().contains("data gives [1, 12, 12]"), e.getMessage());
    }

    @Test
    void resumeWithoutCheckpointSaysSo(@TempDir Path dir) {
        TrainingException e = assertThrows(TrainingException.class,
                () -> Trainer.resume(data(SIZE, 1), null, config(dir, 2)));
        assertTrue(e.getMessage().contains("no checkpoint in"), e.getMessage());
    }

    @Test
    void sidecarRecordsProvenance(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "abc");
        TrainerConfig c = config(dir.resolve("ck"), 1).toBuilder().dataFiles(java.util.List.of(csv)).build();
        Trainer.fit(TinyData.graph(SIZE, 1, 3, false, 1), data(SIZE, 1), null, c);
        CheckpointState s = new CheckpointStore(dir.resolve("ck")).load(1).state();
        // SHA-256("abc"), FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", s.dataFiles().get(0).get("sha256"));
        assertEquals(3L, ((Number) s.config().get("seed")).longValue());
        assertArrayEquals(new long[] {1, SIZE, SIZE}, s.inputShape());
    }
}
