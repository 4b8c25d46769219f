package org.cxrworkbook.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.train.FeatureCache;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.TrainingRecipe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * spark-features under local[2] writes the single-machine stage 0's feature cache: same key, same activations within
 * float tolerance, and staged training afterwards finds a cache hit (no image decoded, no base forward pass). A job
 * that fails leaves no {@code feature-cache} folder behind.
 */
class SparkFeaturesEqualityTest {

    @TempDir
    static Path dir;
    static SparkFixture fx;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() {
        fx = SparkFixture.create(dir);
        sc = SparkFixture.local2();
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static TrainingRecipe.Options options(Path work) {
        return TrainingRecipe.options().dataDir(fx.data).workDir(work).imageSize(SparkFixture.SIZE).small(true)
                .weights(fx.model).batchSize(8).seed(42).stage1(1, 1e-2).stage2(0, 1e-3).earlyStoppingPatience(0)
                .progress(false);
    }

    private static StagedTraining.Plan plan(Path work) {
        return StagedTraining.Plan.of(options(work));
    }

    @Test
    void featuresEqualTheSingleMachineCacheAndTrainingFindsAHit() {
        List<String> log = new ArrayList<>();
        StagedTraining.Features single = StagedTraining.of(plan(dir.resolve("single")), log::add).features();
        assertFalse(single.fromCache());

        Path work = dir.resolve("spark");
        ArchiveFeatures.Request request = new ArchiveFeatures.Request(plan(work), 5, 4, -1);
        ArchiveFeatures.Result r = ArchiveFeatures.run(sc, request, ArchiveFeatures.prepare(request));
        assertEquals(single.cache().key().sha256(), r.keySha256(), "same cache key as the single-machine path");
        assertEquals(SparkFixture.IMAGES, r.train() + r.val() + r.test());

        long forwards = StagedTraining.baseForwardBatches();
        List<String> log2 = new ArrayList<>();
        StagedTraining.Features hit = StagedTraining.of(plan(work), log2::add).features();
        assertTrue(hit.fromCache(), "staged training reuses the Spark-written cache: " + log2);
        assertEquals(forwards, StagedTraining.baseForwardBatches(), "no base forward pass on a hit");

        assertClose(single.cache().train(), hit.cache().train(), "train");
        assertClose(single.cache().val(), hit.cache().val(), "val");
        assertClose(single.cache().test(), hit.cache().test(), "test");
    }

    @Test
    void aFailedJobLeavesNoCacheFolder() throws IOException {
        Path work = dir.resolve("failed");
        ArchiveFeatures.Request request = new ArchiveFeatures.Request(plan(work), 4, 4, 2);
        ArchiveFeatures.Prepared prepared = ArchiveFeatures.prepare(request);
        JavaSparkContext noRetry = null;
        sc.stop();
        try {
            noRetry = SparkJobs.start(new SparkJobs.Options("local[2,1]", "cxr-spark-test", 5, 5, null, false));
            JavaSparkContext c = noRetry;
            assertThrows(Exception.class, () -> ArchiveFeatures.run(c, request, prepared));
        } finally {
            if (noRetry != null) {
                noRetry.stop();
            }
            sc = SparkFixture.local2();
        }
        assertFalse(Files.exists(work.resolve(FeatureCache.FOLDER)), "no feature-cache folder after a failed job");
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".feature-cache")).toList());
        }
    }

    @Test
    void aFilmAnExecutorCannotReadIsListedWithItsRowAndNoCacheIsWritten() throws IOException {
        Path archive = SparkFixture.copyArchive(fx.data, dir.resolve("vanishing"));
        Path work = dir.resolve("vanishing-work");
        ArchiveFeatures.Request request = new ArchiveFeatures.Request(StagedTraining.Plan.of(options(work).dataDir(archive)),
                4, 4, -1);
        ArchiveFeatures.Prepared prepared = ArchiveFeatures.prepare(request, s -> { });
        // after the driver checked every film: one is gone when the executor reads it (a path it does not see)
        String fifth = Files.readAllLines(archive.resolve("Data_Entry_2017_v2020.csv")).get(4).split(",")[0]; // line 5
        Files.delete(archive.resolve("images").resolve(fifth));
        org.cxrworkbook.data.DataException e = assertThrows(org.cxrworkbook.data.DataException.class,
                () -> ArchiveFeatures.run(sc, request, prepared));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).message().startsWith("1 of " + SparkFixture.IMAGES + " films could not be read")
                && e.problems().get(0).message().contains("no feature cache was written"), e.getMessage());
        assertEquals(new org.cxrworkbook.data.Problem("Data_Entry_2017_v2020.csv", 5, e.problems().get(1).message()),
                e.problems().get(1));
        assertTrue(e.problems().get(1).message().startsWith("image " + fifth + " could not be read"), e.getMessage());
        assertFalse(Files.exists(work.resolve(FeatureCache.FOLDER)), "no feature-cache folder");
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".feature-cache")).toList());
        }
    }

    private static void assertClose(DataSet a, DataSet b, String split) {
        assertArrayEquals(a.getFeatures().shape(), b.getFeatures().shape(), split);
        assertArrayEquals(a.getLabels().toFloatMatrix(), b.getLabels().toFloatMatrix(), split + " labels");
        float[] x = a.getFeatures().ravel().toFloatVector();
        float[] y = b.getFeatures().ravel().toFloatVector();
        double max = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(x[i]));
        }
        assertTrue(scale > 0.1, split + " activations are not all zero");
        assertTrue(max <= 1e-4 * Math.max(1, scale), split + ": largest difference " + max + " (scale " + scale + ")");
    }
}
