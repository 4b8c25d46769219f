package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.TrainingData;
import org.cxrworkbook.train.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedPredictionsTest {

    @TempDir
    Path dir;

    @Test
    void theSavedModelsPredictionsFromTheCacheAreThoseOfTheWholeNetworkAndBoundToItsFile() throws Exception {
        Path data = dir.resolve("phantom");
        PhantomGenerator.builder().images(40).size(64).seed(21).threads(2).progress(null).build().generate(data);
        Path work = dir.resolve("work");
        TrainingRecipe.Options o = TrainingRecipe.options().dataDir(data).workDir(work).imageSize(32).small(true)
                .fromScratch(true).batchSize(8).seed(5).stage1(2, 1e-2).stage2(1, 1e-3).earlyStoppingPatience(0)
                .progress(false);
        StagedTraining st = StagedTraining.of(StagedTraining.Plan.of(o), new ArrayList<String>()::add);
        StagedTraining.Features f = st.features();
        List<StagedTraining.StageResult> stages = List.of(st.stage1(f), st.stage2(f, st.stage1(f)));
        StagedTraining.Outcome saved = st.save(f, stages);
        StagedPredictions.write(saved, f);

        Path model = work.resolve("model.zip");
        Predictions cached = StagedPredictions.read(model, "test", f.splits().test()).orElseThrow();
        TrainingData td = TrainingData.load(f.plan().data());
        Predictions full = Predictor.predict(Predictor.loadModel(model), td.orderedIterator(f.splits().test(), "test"),
                f.splits().test());
        assertEquals(full.imageIndex(), cached.imageIndex());
        for (Finding finding : Finding.all()) {
            assertArrayEquals(full.probabilities(finding), cached.probabilities(finding), 1e-4, finding.toString());
            assertArrayEquals(full.labels(finding), cached.labels(finding), finding.toString());
        }
        assertTrue(StagedPredictions.read(model, "val", f.splits().val()).isPresent());
        // other records, or another model file, and they are not used
        assertFalse(StagedPredictions.read(model, "test", f.splits().val()).isPresent());
        Files.write(model, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertFalse(StagedPredictions.read(model, "test", f.splits().test()).isPresent());
    }
}
