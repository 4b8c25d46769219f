package org.cxrworkbook.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.eval.Predictions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spark-predict under local[2] gives the single-machine path's predictions (notebook 07's) for the same films. */
class SparkPredictEqualityTest {

    @TempDir
    static Path dir;
    static SparkFixture fx;
    static JavaSparkContext sc;
    static Predictions single;

    @BeforeAll
    static void setUp() {
        fx = SparkFixture.create(dir);
        sc = SparkFixture.local2();
        single = fx.singleMachinePredictions();
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void aPartitionReleasesItsThreadsEnginesWhenItEnds() {
        // the task body run on this thread: its network stays for the thread's next task, the engine's buffers do not
        ArchivePredictions.Prepared p = ArchivePredictions.prepare(new ArchivePredictions.Request(fx.model, null,
                fx.data, "all", dir.resolve("unused.csv"), 1, 4, -1));
        org.apache.spark.broadcast.Broadcast<byte[]> model = sc.broadcast(p.model().bytes());
        ForwardPartition.JobCounters counters = new ForwardPartition.JobCounters(sc.sc().longAccumulator("d"),
                sc.sc().longAccumulator("f"), sc.sc().longAccumulator("n"), sc.sc().longAccumulator("m"));
        java.util.Iterator<FilmResult> it = new ForwardPartition(model, p.model().sha256(), p.vertex(),
                p.preprocessing(), 4, counters, -1).call(p.archive().films().subList(0, 6).iterator());
        assertTrue(it.next().ok()); // the first batch of 4 forwarded
        org.deeplearning4j.nn.graph.ComputationGraph net = ExecutorNetworks.restoredOrNull(p.model().sha256());
        assertEquals(1, org.cxrworkbook.model.engine.FrozenBase.compiledEngines(net), "predictions on the engine");
        int n = 1;
        while (it.hasNext()) {
            assertTrue(it.next().ok());
            n++;
        }
        assertEquals(6, n);
        assertEquals(0, org.cxrworkbook.model.engine.FrozenBase.compiledEngines(net), "released at the partition's end");
        assertTrue(net == ExecutorNetworks.restoredOrNull(p.model().sha256()), "the thread keeps its network");
        model.destroy();
    }

    @Test
    void predictionsEqualTheSingleMachinePathWithinFloatTolerance() {
        Path out = dir.resolve("spark/predictions.csv");
        ArchivePredictions.Result r = ArchivePredictions.run(sc, new ArchivePredictions.Request(fx.model, null, fx.data,
                "all", out, 5, 4, -1));
        assertEquals(SparkFixture.IMAGES, r.rows());
        assertTrue(r.missing().isEmpty());
        assertEquals("local[2,4]", r.figures().master());
        Predictions spark = Predictions.read(out); // what ./cxr roc reads
        assertEquals(single.size(), spark.size());
        assertEquals(single.imageIndex(), spark.imageIndex(), "same films in Data_Entry order");
        assertEquals(single.patientId(), spark.patientId());
        double maxDiff = 0;
        double min = 1;
        double max = 0;
        for (Finding f : Finding.all()) {
            double[] a = single.probabilities(f);
            double[] b = spark.probabilities(f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(single.labels(f), spark.labels(f), f.label());
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                min = Math.min(min, b[i]);
                max = Math.max(max, b[i]);
            }
        }
        assertTrue(maxDiff < 1e-5, "largest probability difference " + maxDiff);
        assertTrue(max - min > 1e-3, "the probabilities vary across films and findings: " + min + ".." + max);
    }

    @Test
    void testSplitKeepsOnlyTheOfficialTestList() {
        Path out = dir.resolve("spark/test-predictions.csv");
        ArchivePredictions.Result r = ArchivePredictions.run(sc, new ArchivePredictions.Request(fx.model, null, fx.data,
                "test", out, 3, 8, -1));
        Predictions all = single;
        Predictions test = Predictions.read(out);
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            row.put(all.imageIndex().get(i), i);
        }
        java.util.List<String> listed = readLines(fx.data.resolve("test_list.txt"));
        assertEquals(listed.size(), r.rows());
        assertEquals(new java.util.HashSet<>(listed), new java.util.HashSet<>(test.imageIndex()));
        for (int i = 0; i < test.size(); i++) {
            int j = row.get(test.imageIndex().get(i));
            assertEquals(all.probability(j, Finding.EDEMA), test.probability(i, Finding.EDEMA), 1e-5);
        }
    }

    private static java.util.List<String> readLines(Path p) {
        try {
            return java.nio.file.Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
