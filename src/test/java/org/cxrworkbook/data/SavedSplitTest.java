package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split is saved once with its settings, read back when they match, recomputed (one line) when not. */
class SavedSplitTest {

    private static List<String> names(List<ImageRecord> records) {
        return records.stream().map(ImageRecord::imageIndex).toList();
    }

    @Test
    void savedOnceReadBackAndRecomputedWhenSettingsDiffer(@TempDir Path dir) throws Exception {
        ChestXrayDataset ds = ChestXrayDataset.load(Fixtures.dataset(dir.resolve("data")));
        Path work = dir.resolve("work");
        List<String> log = new ArrayList<>();
        SplitSet first = SavedSplit.obtain(ds, work, 0.2, 42, 0, log::add);
        assertTrue(log.isEmpty(), "nothing saved before: no line");
        Path trainList = work.resolve("splits").resolve(NihFiles.TRAIN_LIST);
        assertEquals(names(first.train()), Files.readAllLines(trainList));
        assertTrue(Files.readString(work.resolve("splits").resolve(SavedSplit.SETTINGS)).contains("\"val_fraction\" : 0.2"));

        // read back, not recomputed: a hand-edited list (val image moved to train) is what comes back
        List<String> edited = new ArrayList<>(names(first.train()));
        List<String> val = new ArrayList<>(names(first.val()));
        edited.add(val.remove(0));
        Files.write(trainList, edited);
        Files.write(work.resolve("splits").resolve(NihFiles.VAL_LIST), val);
        SplitSet again = SavedSplit.obtain(ds, work, 0.2, 42, 0, log::add);
        assertEquals(edited, names(again.train()));
        assertTrue(log.isEmpty());

        // other settings: one line naming the difference, recomputed (the computed split again) and saved
        SplitSet other = SavedSplit.obtain(ds, work, 0.2, 7, 0, log::add);
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("was made with other settings (seed 42 → 7): recomputing it"), log.get(0));
        assertEquals(names(ds.splits(0.2, 7).train()), names(other.train()));
        assertEquals(names(other.train()), Files.readAllLines(trainList));
        assertTrue(Files.readString(work.resolve("splits").resolve(SavedSplit.SETTINGS)).contains("\"seed\" : 7"));
    }

    @Test
    void changedDataFilesOrUnknownImagesAreNotReused(@TempDir Path dir) throws Exception {
        Path data = Fixtures.dataset(dir.resolve("data"));
        Path work = dir.resolve("work");
        List<String> log = new ArrayList<>();
        String before = SavedSplit.dataDigest(data);
        SavedSplit.obtain(ChestXrayDataset.load(data), work, 0.2, 42, 0, log::add);
        Files.writeString(NihFiles.dataEntry(data), Files.readString(NihFiles.dataEntry(data)) + "\n");
        assertNotEquals(before, SavedSplit.dataDigest(data));
        SavedSplit.obtain(ChestXrayDataset.load(data), work, 0.2, 42, 0, log::add);
        assertEquals(List.of("the split saved in " + work.resolve("splits") + " was made with other settings "
                + "(data files changed): recomputing it"), log);

        log.clear();
        Files.write(work.resolve("splits").resolve(NihFiles.TEST_LIST), List.of("99999999_000.png"));
        SplitSet fresh = SavedSplit.obtain(ChestXrayDataset.load(data), work, 0.2, 42, 0, log::add);
        assertEquals(1, log.size());
        assertTrue(log.get(0).endsWith("names images this dataset does not have: recomputing it"), log.get(0));
        assertEquals(names(ChestXrayDataset.load(data).splits(0.2, 42).test()), names(fresh.test()));
    }
}
