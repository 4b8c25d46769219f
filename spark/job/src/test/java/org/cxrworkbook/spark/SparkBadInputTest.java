package org.cxrworkbook.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.Problem;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.train.DataSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unreachable master, missing images, a model that does not fit the size, a failed write. */
class SparkBadInputTest {

    @TempDir
    static Path dir;
    static SparkFixture fx;
    static JavaSparkContext sc;
    static final java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void setUp() {
        fx = SparkFixture.create(dir);
        sc = SparkFixture.local2();
        sc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                jobs.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void unreachableMasterIsOneClearErrorWithinTheBoundedWait() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) { // a free loopback port nobody listens on once closed
            port = s.getLocalPort();
        }
        String url = "spark://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        SparkJobs.MasterUnreachable e = assertThrows(SparkJobs.MasterUnreachable.class,
                () -> SparkJobs.start(new SparkJobs.Options(url, "cxr-spark-test", 2, 5, null, false)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 6, "gave up after " + seconds + " s");
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertTrue(e.getMessage().contains("master is running") && e.getMessage().contains("7077"), e.getMessage());
    }

    @Test
    void localMastersGetRetriesOtherMastersStayAsGiven() {
        assertEquals("local[2,4]", SparkJobs.withRetries("local[2]", 4));
        assertEquals("local[*,4]", SparkJobs.withRetries("local[*]", 4));
        assertEquals("local[1,3]", SparkJobs.withRetries("local", 3));
        assertEquals("local[2,1]", SparkJobs.withRetries("local[2,1]", 4));
        assertEquals("spark://h:7077", SparkJobs.withRetries("spark://h:7077", 4));
    }

    @Test
    void missingImagesAreListedWithTheirRowsAndTheJobGoesOn() throws IOException {
        Path archive = SparkFixture.copyArchive(fx.data, dir.resolve("holes"));
        List<String> entry = Files.readAllLines(archive.resolve("Data_Entry_2017_v2020.csv"));
        String third = entry.get(3).split(",")[0];   // file line 4
        String tenth = entry.get(10).split(",")[0];  // file line 11
        Files.delete(archive.resolve("images").resolve(third));
        Files.delete(archive.resolve("images").resolve(tenth));
        Path out = dir.resolve("holes.csv");
        ArchivePredictions.Result r = ArchivePredictions.run(sc, new ArchivePredictions.Request(fx.model,
                fx.work.resolve(DataSettings.FILE), archive, "all", out, 3, 4, -1));
        assertEquals(SparkFixture.IMAGES - 2, r.rows());
        assertEquals(2, r.figures().missing());
        assertEquals(List.of(4L, 11L), r.missing().stream().map(Problem::row).toList());
        assertTrue(r.missing().get(0).toString().startsWith("Data_Entry_2017_v2020.csv:4: image " + third), r.missing().get(0).toString());
        Predictions p = Predictions.read(out);
        assertFalse(p.imageIndex().contains(third));
        assertFalse(p.imageIndex().contains(tenth));
        assertEquals(SparkFixture.IMAGES - 2, p.size());
    }

    @Test
    void aModelThatDoesNotFitTheSizeIsRefusedBeforeAnyTask() throws Exception {
        Path work = dir.resolve("tiny");
        new DataSettings(fx.data, 8, 3, 8, 0, 0.2, 42).save(work);
        Files.copy(fx.model, work.resolve("model.zip"));
        sc.sc().listenerBus().waitUntilEmpty();
        int jobsBefore = jobs.get();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchivePredictions.run(sc,
                new ArchivePredictions.Request(work.resolve("model.zip"), null, fx.data, "all", dir.resolve("no.csv"), 2, 4, -1)));
        assertTrue(e.getMessage().contains("does not take 8×8 images"), e.getMessage());
        sc.sc().listenerBus().waitUntilEmpty();
        assertEquals(jobsBefore, jobs.get(), "no Spark job was submitted");
        assertFalse(Files.exists(dir.resolve("no.csv")));
    }

    @Test
    void theSmallestSizeTheNetworkTakesPassesTheCheckAndOneLessIsRefusedNamingTheLayer() {
        ModelFile model = ModelFile.read(fx.model);
        int min = org.cxrworkbook.model.DenseNetConfig.small().minInputSize(); // the architecture's own arithmetic: 29
        assertEquals(29, min);
        assertEquals(14, model.checkFits(min, ArchivePredictions.OUTPUT, 14));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.checkFits(min - 1, ArchivePredictions.OUTPUT, 14));
        // 28² -> 14 -> 7 -> 3 -> 1: the last transition's 2×2 average pool gets a 1×1 map
        assertTrue(e.getMessage().contains("does not take 28×28 images") && e.getMessage().contains("'pool4_pool'")
                && e.getMessage().contains("1×1"), e.getMessage());
    }

    @Test
    void aModelWithoutTrainingSettingsIsRefusedNamingTheFile() throws IOException {
        Path lone = dir.resolve("lone");
        Files.createDirectories(lone);
        Files.copy(fx.model, lone.resolve("model.zip"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ArchivePredictions.prepare(
                new ArchivePredictions.Request(lone.resolve("model.zip"), null, fx.data, "all", dir.resolve("x.csv"), 2, 4, -1)));
        assertTrue(e.getMessage().contains(DataSettings.FILE), e.getMessage());
    }
}
