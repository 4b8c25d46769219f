package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.CourseFolderWriter;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged recipe (notebook 06, {@code ./cxr train}) on the course's folder: its labels come from the three course
 * CSVs, which key the feature cache, and the fixed splits are the course's.
 */
class CourseFolderStagedTest {

    @TempDir
    Path dir;

    @Test
    void trainsOnTheCourseFolderAndKeysTheCacheOnItsCsvs() throws IOException {
        Path phantom = dir.resolve("phantom");
        PhantomGenerator.builder().images(40).size(32).seed(8).threads(2).progress(null).build().generate(phantom);
        ChestXrayDataset source = ChestXrayDataset.load(phantom);
        Path course = dir.resolve("nih");
        CourseFolderWriter.Written written = CourseFolderWriter.write(source, source.splits(0.2, 8), course, false);
        Path work = dir.resolve("work");
        TrainingRecipe.Options o = TrainingRecipe.options().dataDir(course).workDir(work).imageSize(32).small(true)
                .fromScratch(true).batchSize(8).seed(5).stage1(1, 1e-2).stage2(1, 1e-3).earlyStoppingPatience(0)
                .progress(false);
        List<String> log = new ArrayList<>();
        StagedTraining st = StagedTraining.of(StagedTraining.Plan.of(o), log::add);
        StagedTraining.Features f = st.features();
        assertEquals(written.train(), f.splits().train().size());
        assertEquals(written.valid(), f.splits().val().size());
        assertEquals(written.test(), f.splits().test().size());
        ChestXrayDataset ds = ChestXrayDataset.load(course);
        assertEquals(ds.labelsSha256(), f.cache().key().fields().get("data_entry_sha256"));
        StagedTraining.Outcome out = st.save(f, List.of(st.stage1(f)));
        assertTrue(Files.isRegularFile(out.modelFile()));
        assertEquals(course.toAbsolutePath().normalize(), DataSettings.read(work).dataDir());

        // a changed label in test.csv is a changed key: the cache is rebuilt, saying which field differs
        Path test = course.resolve("test.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(test));
        String[] row = lines.get(1).split(",", -1);
        row[1] = row[1].equals("0") ? "1" : "0";
        lines.set(1, String.join(",", row));
        Files.write(test, lines);
        log.clear();
        StagedTraining.Features again = StagedTraining.of(StagedTraining.Plan.of(o), log::add).features();
        assertFalse(again.fromCache());
        assertTrue(log.stream().anyMatch(l -> l.contains("data_entry_sha256") && l.contains("rebuilding")), log.toString());
    }
}
