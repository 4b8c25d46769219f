package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.train.CheckpointStore;
import org.cxrworkbook.train.ResumeCheck;
import org.cxrworkbook.train.TrainingHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --resume}: refused with each differing setting named, {@code --force} overrides, no checkpoint said plainly. */
class ResumeGuardTest {

    @TempDir
    static Path dir;

    private static Path data;

    @BeforeAll
    static void phantom() {
        data = dir.resolve("phantom");
        PhantomGenerator.builder().images(60).size(32).seed(5).threads(2).progress(null).build().generate(data);
    }

    /** train with the test's options (seed 3, batch 8 unless {@code extra} gives them) plus {@code extra}. */
    private static BadInputCommandsTest.Run train(Path work, Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", dataDir.toString(), "--work", work.toString(),
                "--small", "--single-stage", "--scratch", "--size", "32", "--max-batches", "2", "--quiet"));
        List<String> more = List.of(extra);
        if (!more.contains("--seed")) {
            args.addAll(List.of("--seed", "3"));
        }
        if (!more.contains("--batch")) {
            args.addAll(List.of("--batch", "8"));
        }
        args.addAll(more);
        return BadInputCommandsTest.run(args.toArray(String[]::new));
    }

    @Test
    void otherSettingsAreRefusedEachNamedAndForceResumesAnyway() throws Exception {
        Path work = dir.resolve("work-settings");
        assertEquals(0, train(work, data, "--epochs", "1").status());
        Path checkpoints = work.resolve("checkpoints");
        assertTrue(Files.isRegularFile(checkpoints.resolve(ResumeCheck.FILE)));
        byte[] historyBefore = Files.readAllBytes(checkpoints.resolve("history.json"));

        BadInputCommandsTest.Run r = train(work, data, "--epochs", "2", "--resume", "--seed", "7", "--lr", "0.01", "--batch", "4");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
        assertTrue(r.err().contains("cannot resume: the checkpoints in " + checkpoints + " were made with other settings"), r.err());
        assertTrue(r.err().contains("seed: checkpoint 3, now 7 (--seed)"), r.err());
        assertTrue(r.err().contains("batchSize: checkpoint 8, now 4 (--batch)"), r.err());
        assertTrue(r.err().contains("stage1LearningRate: checkpoint 1e-3, now 0.01 (--lr)"), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        assertFalse(r.err().contains("\tat org."), "no stack trace: " + r.err());
        assertEquals(List.of(1), new CheckpointStore(checkpoints).epochs(), "nothing trained");
        assertTrue(java.util.Arrays.equals(historyBefore, Files.readAllBytes(checkpoints.resolve("history.json"))));

        BadInputCommandsTest.Run forced = train(work, data, "--epochs", "2", "--resume", "--seed", "7", "--force");
        assertEquals(0, forced.status(), forced.err());
        assertTrue(forced.err().contains("WARNING (--force): the checkpoints in " + checkpoints
                + " were made with other settings: seed: checkpoint 3, now 7 (--seed); resuming anyway"), forced.err());
        assertEquals(2, TrainingHistory.load(work.resolve("history.json")).size());
    }

    @Test
    void anotherDataFolderIsRefusedNamingFolderAndContent() throws Exception {
        Path work = dir.resolve("work-data");
        assertEquals(0, train(work, data, "--epochs", "1").status());
        Path other = dir.resolve("phantom-edited");
        Files.createDirectories(other);
        for (String f : new String[] {"BBox_List_2017.csv", "train_val_list.txt", "test_list.txt"}) {
            Files.copy(data.resolve(f), other.resolve(f));
        }
        Files.createSymbolicLink(other.resolve("images"), data.resolve("images").toAbsolutePath());
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("Data_Entry_2017_v2020.csv")));
        lines.set(1, lines.get(1).replaceFirst(",(M|F),", ",$1,").replaceFirst("^([^,]*,[^,]*,[^,]*,[^,]*,)(\\d+)",
                "$1" + "77"));
        Files.write(other.resolve("Data_Entry_2017_v2020.csv"), lines);

        BadInputCommandsTest.Run r = train(work, other, "--epochs", "2", "--resume");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
        assertTrue(r.err().contains("dataDir: checkpoint " + data.toAbsolutePath().normalize() + ", now "
                + other.toAbsolutePath().normalize()), r.err());
        assertTrue(r.err().contains("data files (Data_Entry and the official lists), SHA-256: checkpoint "), r.err());
    }

    @Test
    void sameSettingsWithMoreEpochsResumeAndSayTheNewBudget() {
        Path work = dir.resolve("work-same");
        assertEquals(0, train(work, data, "--epochs", "1").status());
        BadInputCommandsTest.Run r = train(work, data, "--epochs", "2", "--resume");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("resuming with 2 epochs in total (the checkpoint's run was set to 1)"), r.err());
        assertEquals(List.of(1, 2), new CheckpointStore(work.resolve("checkpoints")).epochs());
    }

    @Test
    void resumeWithoutACheckpointSaysSoInsteadOfStartingFresh() {
        Path work = dir.resolve("work-empty");
        BadInputCommandsTest.Run r = train(work, data, "--epochs", "1", "--resume");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
        assertEquals("", r.out().strip());
        assertEquals("cxr train: no checkpoint to resume in " + work.resolve("checkpoints")
                + ": train without --resume to start a new run", r.err().strip());
        assertFalse(Files.exists(work.resolve("model.zip")));
    }

    @Test
    void aSecondTrainingIntoALockedWorkFolderIsRefusedNamingTheHolder() throws Exception {
        Path work = dir.resolve("work-locked");
        Process holder = new ProcessBuilder("sleep", "120").start();
        try {
            Files.createDirectories(work);
            Files.writeString(work.resolve(org.cxrworkbook.train.WorkLock.FILE), "pid=" + holder.pid() + "\nstarted="
                    + holder.toHandle().info().startInstant().orElseThrow() + "\nhost="
                    + java.net.InetAddress.getLocalHost().getHostName() + "\ncommand=cxr train\n");
            BadInputCommandsTest.Run r = train(work, data, "--epochs", "1");
            assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
            assertTrue(r.err().contains("cxr train: work folder " + work + " is in use by another run: pid " + holder.pid()),
                    r.err());
            try (var files = Files.list(work)) {
                assertEquals(List.of(work.resolve(org.cxrworkbook.train.WorkLock.FILE)), files.toList(), "nothing written");
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
