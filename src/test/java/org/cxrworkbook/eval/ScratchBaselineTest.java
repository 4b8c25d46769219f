package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.train.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class ScratchBaselineTest {

    @TempDir
    Path work;

    private static List<ImageRecord> records(String prefix, int n, int seed) {
        Random r = new Random(seed);
        List<ImageRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<Finding> f = r.nextBoolean() ? Set.of(Finding.values()[r.nextInt(Finding.COUNT)]) : Set.of();
            out.add(ImageRecord.of(String.format("%s%05d_000.png", prefix, i), prefix + (i / 2), f));
        }
        return out;
    }

    private SplitSet splits() {
        return new SplitSet(records("1", 20, 1), records("2", 6, 2), records("3", 30, 3));
    }

    private RunSettings settings() {
        return RunSettings.classroom().toBuilder().workDir(work).bootstrap(50).build();
    }

    private TransferComparison.Arm arm(SplitSet splits) {
        float[] p = new float[splits.test().size() * Finding.COUNT];
        Random r = new Random(9);
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat();
        }
        return TransferComparison.arm("small DenseNet from scratch", splits.test(),
                Nd4j.create(p, new long[] {splits.test().size(), Finding.COUNT}, 'c'), Map.of("training (15 epochs)", 100.0),
                30_142, 50, 42);
    }

    @Test
    void aRecordOfTheSameSettingsAndSplitIsScoredAgainAsRecorded() throws Exception {
        SplitSet splits = splits();
        TransferComparison.Arm trained = arm(splits);
        Path file = work.resolve("metrics").resolve(ScratchBaseline.WORK_RECORD + ".json");
        ScratchBaseline.write(settings(), splits, trained, file);
        assertTrue(Files.isRegularFile(work.resolve("metrics").resolve(ScratchBaseline.WORK_RECORD + "-predictions.csv")));

        ScratchBaseline.Outcome read = ScratchBaseline.of(settings(), splits);
        TransferComparison.Arm again = read.arm().orElseThrow();
        // the same predictions give the same AUC and, with the same seed and replicates, the same interval
        assertEquals(trained.meanAuc(), again.meanAuc(), 1e-6);
        assertEquals(trained.ci().low(), again.ci().low(), 1e-6);
        assertEquals(trained.ci().high(), again.ci().high(), 1e-6);
        assertEquals(100.0, again.seconds().get("training (15 epochs)"));
        assertTrue(again.name().contains("recorded") && again.name().contains("not retrained"), again.name());
        assertTrue(read.note().contains("not trained in this run"), read.note());
    }

    @Test
    void otherSettingsOrAnotherSplitAreNamedAndGiveNoArm() {
        SplitSet splits = splits();
        ScratchBaseline.write(settings(), splits, arm(splits),
                work.resolve("metrics").resolve(ScratchBaseline.WORK_RECORD + ".json"));

        ScratchBaseline.Outcome bigger = ScratchBaseline.of(settings().toBuilder().imageSize(224).build(), splits);
        assertFalse(bigger.arm().isPresent());
        assertTrue(bigger.note().contains("image_size 128 (now 224)"), bigger.note());
        assertTrue(bigger.note().contains("compareFromScratch(true)"), bigger.note());

        SplitSet other = new SplitSet(splits.val(), splits.train(), splits.test());
        ScratchBaseline.Outcome moved = ScratchBaseline.of(settings(), other);
        assertFalse(moved.arm().isPresent());
        assertTrue(moved.note().contains("another train split") && moved.note().contains("another val split"), moved.note());
    }

    @Test
    void theSameNamesHoldingOtherFilmsAreRefused() throws Exception {
        SplitSet splits = splits();
        Path data = work.resolve("data");
        Files.createDirectories(data.resolve("images"));
        for (ImageRecord r : splits.test()) {
            Files.write(data.resolve("images").resolve(r.imageIndex()), new byte[] {1, 2, 3, (byte) r.imageIndex().hashCode()});
        }
        RunSettings s = settings().toBuilder().dataDir(data).build();
        ScratchBaseline.write(s, splits, arm(splits), work.resolve("metrics").resolve(ScratchBaseline.WORK_RECORD + ".json"));
        assertTrue(ScratchBaseline.of(s, splits).arm().isPresent(), "the same films: the record applies");

        // one test film redrawn (e.g. by another phantom renderer) under the same name
        Files.write(data.resolve("images").resolve(splits.test().get(7).imageIndex()), new byte[] {9, 9, 9});
        ScratchBaseline.Outcome redrawn = ScratchBaseline.of(s, splits);
        assertFalse(redrawn.arm().isPresent());
        assertTrue(redrawn.note().contains("other test films (the same names, other pixels)"), redrawn.note());
    }

    @Test
    void aDamagedPredictionsFileIsRefusedNamingIt() throws Exception {
        SplitSet splits = splits();
        Path file = work.resolve("metrics").resolve(ScratchBaseline.WORK_RECORD + ".json");
        ScratchBaseline.write(settings(), splits, arm(splits), file);
        Path csv = work.resolve("metrics").resolve(ScratchBaseline.WORK_RECORD + "-predictions.csv");
        List<String> lines = Files.readAllLines(csv);
        Files.write(csv, lines.subList(0, lines.size() - 1));   // one test image lost
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScratchBaseline.of(settings(), splits));
        assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains("30 test images"), e.getMessage());
    }
}
