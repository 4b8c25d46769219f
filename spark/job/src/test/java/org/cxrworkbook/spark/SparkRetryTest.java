package org.cxrworkbook.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.eval.Predictions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task attempt that dies halfway (the test hook fails the first attempt of partition 1 after half its films) is
 * retried by Spark, and the output has every film exactly once, with the values of an undisturbed run.
 */
class SparkRetryTest {

    @TempDir
    static Path dir;
    static SparkFixture fx;
    static JavaSparkContext sc;
    static final AtomicInteger failedTasks = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        fx = SparkFixture.create(dir);
        sc = SparkFixture.local2();
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!(end.reason() instanceof Success$)) {
                    failedTasks.incrementAndGet();
                }
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
    void aFailedAttemptIsRetriedWithoutLostOrDuplicatedRows() throws Exception {
        Path clean = dir.resolve("clean.csv");
        ArchivePredictions.run(sc, new ArchivePredictions.Request(fx.model, null, fx.data, "all", clean, 4, 4, -1));
        sc.sc().listenerBus().waitUntilEmpty();
        assertEquals(0, failedTasks.get(), "no task fails without the hook");

        Path retried = dir.resolve("retried.csv");
        ArchivePredictions.Result r = ArchivePredictions.run(sc, new ArchivePredictions.Request(fx.model, null, fx.data,
                "all", retried, 4, 4, 1));
        sc.sc().listenerBus().waitUntilEmpty();
        assertEquals(1, failedTasks.get(), "the hook failed exactly one task attempt, which Spark retried");

        Predictions a = Predictions.read(clean);
        Predictions b = Predictions.read(retried); // read() refuses duplicate images
        assertEquals(SparkFixture.IMAGES, r.rows());
        assertEquals(SparkFixture.IMAGES, b.size());
        assertEquals(SparkFixture.IMAGES, new HashSet<>(b.imageIndex()).size());
        assertEquals(a.imageIndex(), b.imageIndex());
        for (Finding f : Finding.all()) {
            double[] pa = a.probabilities(f);
            double[] pb = b.probabilities(f);
            for (int i = 0; i < pa.length; i++) {
                assertEquals(pa[i], pb[i], 1e-6, f + " " + a.imageIndex().get(i));
            }
        }
        assertTrue(r.figures().forwarded() >= SparkFixture.IMAGES, "accumulators count the retried attempt's work too");
    }
}
