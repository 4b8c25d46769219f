package org.cxrworkbook.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The task body ({@code mapPartitions}): films of one partition in batches → decode and preprocess each film →
 * one forward pass of this thread's network per batch → one {@link FilmResult} per film, output of {@code vertex}
 * flattened per film. A film that cannot be read becomes a "missing" result and the partition goes on. Decode and
 * forward times and counts go to accumulators (Spark counts only successful attempts' updates once for results, but
 * accumulators are best effort: the figures may include a retried attempt's work, which is what the machine did).
 *
 * <p>Test hook: with {@code failFirstAttemptOf >= 0}, the first attempt of that partition throws after half its films,
 * so the retry test can check that Spark's retry neither loses nor duplicates rows.
 */
public final class ForwardPartition implements FlatMapFunction<Iterator<Film>, FilmResult> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String modelSha;
    private final String vertex;
    private final Preprocessing preprocessing;
    private final int batchSize;
    private final JobCounters counters;
    private final int failFirstAttemptOf;

    /** A task body forwarding to {@code vertex} of the broadcast model. */
    public ForwardPartition(Broadcast<byte[]> model, String modelSha, String vertex, Preprocessing preprocessing,
                            int batchSize, JobCounters counters, int failFirstAttemptOf) {
        this.model = model;
        this.modelSha = modelSha;
        this.vertex = vertex;
        this.preprocessing = preprocessing;
        this.batchSize = batchSize;
        this.counters = counters;
        this.failFirstAttemptOf = failFirstAttemptOf;
    }

    @Override
    public Iterator<FilmResult> call(Iterator<Film> films) {
        TaskContext task = TaskContext.get();
        boolean failHere = task != null && task.partitionId() == failFirstAttemptOf && task.attemptNumber() == 0;
        return new Iterator<>() {
            private final List<FilmResult> pending = new ArrayList<>();
            private int next;
            private int emitted;
            private final List<Film> all = failHere ? drain(films) : null;
            private final Iterator<Film> source = all != null ? all.iterator() : films;

            @Override
            public boolean hasNext() {
                if (next < pending.size()) {
                    return true;
                }
                pending.clear();
                next = 0;
                if (!source.hasNext()) {
                    release();
                    return false;
                }
                pending.addAll(forwardBatch(source));
                return !pending.isEmpty();
            }

            @Override
            public FilmResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (failHere && emitted >= all.size() / 2) {
                    throw new IllegalStateException("test hook: failing attempt 0 of partition " + failFirstAttemptOf
                            + " after " + emitted + " of " + all.size() + " films");
                }
                emitted++;
                return pending.get(next++);
            }
        };
    }

    /**
     * The partition is done: frees the native buffers of the frozen-base engine compiled for this thread's network
     * (the network itself stays for the thread's next task, which compiles the engine again, 0.1–0.3 s).
     */
    private void release() {
        ComputationGraph net = ExecutorNetworks.restoredOrNull(modelSha);
        if (net != null) {
            org.cxrworkbook.model.engine.FrozenBase.release(net);
        }
    }

    private static List<Film> drain(Iterator<Film> it) {
        List<Film> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /** Up to {@code batchSize} films from {@code source}: decoded, forwarded, in order. */
    private List<FilmResult> forwardBatch(Iterator<Film> source) {
        int per = preprocessing.perFilm();
        List<Film> read = new ArrayList<>(batchSize);
        List<FilmResult> out = new ArrayList<>(batchSize);
        float[] input = new float[batchSize * per];
        long t0 = System.nanoTime();
        while (source.hasNext() && read.size() < batchSize) {
            Film f = source.next();
            try {
                float[] x = preprocessing.prepare(f);
                System.arraycopy(x, 0, input, read.size() * per, per);
                read.add(f);
            } catch (RuntimeException e) {
                out.add(FilmResult.missing(f.position(), problem(f, e)));
            }
        }
        long t1 = System.nanoTime();
        counters.decodeNanos().add(t1 - t0);
        counters.missing().add(out.size());
        if (read.isEmpty()) {
            return out;
        }
        int b = read.size();
        int s = preprocessing.size();
        float[] batch = b == batchSize ? input : java.util.Arrays.copyOf(input, b * per);
        ComputationGraph net = ExecutorNetworks.forThread(modelSha, model.value());
        INDArray x = Nd4j.create(batch, new long[] {b, preprocessing.channels(), s, s}, 'c');
        // the frozen base's oneDNN engine on the CPU for a boundary it stops at (features) and, for the network's
        // output (predictions), the base up to avg_pool on the engine and the graph's head; else the graph itself
        INDArray y = net.getConfiguration().getNetworkOutputs().equals(List.of(vertex))
                ? org.cxrworkbook.model.engine.FrozenBase.predictions(net, x)
                : org.cxrworkbook.model.engine.FrozenBase.output(net, vertex, x);
        float[] values = y.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int width = values.length / b;
        long t2 = System.nanoTime();
        counters.forwardNanos().add(t2 - t1);
        counters.films().add(b);
        for (int i = 0; i < b; i++) {
            out.add(new FilmResult(read.get(i).position(), java.util.Arrays.copyOfRange(values, i * width, (i + 1) * width), null));
        }
        out.sort(java.util.Comparator.comparingInt(FilmResult::position));
        return out;
    }

    private static String problem(Film f, RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        return "image " + f.imageIndex() + " could not be read: " + (why.contains(f.path()) ? why : f.path() + ": " + why);
    }

    /** The job-wide counters a task adds to. */
    public record JobCounters(LongAccumulator decodeNanos, LongAccumulator forwardNanos, LongAccumulator films,
                              LongAccumulator missing) implements java.io.Serializable {
    }
}
