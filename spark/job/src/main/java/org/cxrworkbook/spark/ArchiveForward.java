package org.cxrworkbook.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs a model over a list of films on Spark: the films are split into partitions, the model bytes broadcast once,
 * each partition forwarded by {@link ForwardPartition} in {@code mapPartitions}, and the results collected to the
 * driver in film order. Spark delivers each partition's result once, from its successful attempt, so a retried task
 * neither loses nor duplicates a film; this class checks that anyway (one result per film).
 */
public final class ArchiveForward {

    private ArchiveForward() {
    }

    /** What a job returns: one result per film (in film order) and its figures. */
    public record Outcome(List<FilmResult> results, JobFigures figures) {

        /** Results of films that were read and forwarded. */
        public List<FilmResult> ok() {
            return results.stream().filter(FilmResult::ok).toList();
        }

        /** Results of films that could not be read. */
        public List<FilmResult> missing() {
            return results.stream().filter(r -> !r.ok()).toList();
        }
    }

    /** Job parameters beyond the films. */
    public record Job(ModelFile model, String vertex, Preprocessing preprocessing, int partitions, int batchSize,
                      int failFirstAttemptOf) {
    }

    /** Forwards {@code films} (positions 0..n-1) through {@code job.model()} up to {@code job.vertex()}. */
    public static Outcome run(JavaSparkContext sc, List<Film> films, Job job) {
        for (int i = 0; i < films.size(); i++) {
            if (films.get(i).position() != i) {
                throw new IllegalArgumentException("film " + films.get(i).imageIndex() + " has position "
                        + films.get(i).position() + ", expected " + i);
            }
        }
        long start = System.nanoTime();
        int partitions = job.partitions() > 0 ? job.partitions() : Math.max(1, sc.defaultParallelism() * 4);
        partitions = Math.max(1, Math.min(partitions, films.size()));
        Broadcast<byte[]> model = sc.broadcast(job.model().bytes());
        ForwardPartition.JobCounters counters = new ForwardPartition.JobCounters(
                sc.sc().longAccumulator("decode ns"), sc.sc().longAccumulator("forward ns"),
                sc.sc().longAccumulator("films"), sc.sc().longAccumulator("missing"));
        JavaRDD<Film> rdd = sc.parallelize(films, partitions);
        List<FilmResult> collected = rdd.mapPartitions(new ForwardPartition(model, job.model().sha256(), job.vertex(),
                job.preprocessing(), job.batchSize(), counters, job.failFirstAttemptOf())).collect();
        long jobNanos = System.nanoTime() - start;
        List<FilmResult> results = new ArrayList<>(collected);
        results.sort(Comparator.comparingInt(FilmResult::position));
        if (results.size() != films.size()) {
            throw new IllegalStateException("the job returned " + results.size() + " results for " + films.size() + " films");
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).position() != i) {
                throw new IllegalStateException("result " + i + " is for film position " + results.get(i).position()
                        + ": a film was lost or duplicated");
            }
        }
        model.destroy();
        JobFigures figures = new JobFigures(sc.master(), partitions, executors(sc), films.size(),
                counters.films().value(), counters.missing().value(), jobNanos / 1e9,
                counters.decodeNanos().value() / 1e9, counters.forwardNanos().value() / 1e9, 0);
        return new Outcome(results, figures);
    }

    /** Executors of the context (local mode: 1, the driver itself). */
    static int executors(JavaSparkContext sc) {
        int n = sc.sc().getExecutorMemoryStatus().size();
        return sc.master().startsWith("local") ? 1 : Math.max(1, n - 1);
    }
}
