package org.cxrworkbook.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-label DL4J iterator over one split: features NCHW float32 {@code [b, c, s, s]}, labels
 * {@code [b, 14]} multi-hot in {@link Finding} order.
 *
 * <p>Epoch {@code e} visits the records in the order of a shuffle seeded with {@code seed + e} (so a
 * resumed run reproduces it); {@link #reset()} moves to the next epoch once a batch of the current one
 * was taken. Batches are built ahead by a background thread on a bounded queue, images decoded by a
 * pool of workers; decoded+resized images come from the loader's {@link ImageCache}. Per image:
 * load → augment (seeded by seed, epoch, position) → replicate channels → standardise.
 * {@link #asyncSupported()} is false because the iterator already prefetches. The threads stop by themselves once
 * an epoch's last batch is taken (and on {@link #reset()}, {@link #close()}, {@link #firstBatch()}), so code that
 * reads a whole split, as {@code Predictor.predict} does, leaves nothing to clean up.
 */
public final class CxrDataSetIterator implements DataSetIterator, AutoCloseable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<ImageRecord> records;
    private final ImageLoader loader;
    private final int batchSize;
    private final int channels;
    private final long seed;
    private final boolean shuffle;
    private final Standardizer standardizer;
    private final Augmentation augmentation;
    private final int prefetch;
    private final int workers;
    /** Time the decode workers spent loading, resizing and standardising images (summed over workers). */
    private final java.util.concurrent.atomic.LongAdder decodeNanos = new java.util.concurrent.atomic.LongAdder();
    private transient DataSetPreProcessor preProcessor;

    private int epoch;
    private int batchesTaken;
    private transient Producer producer;

    private CxrDataSetIterator(Builder b) {
        List<ImageRecord> recs = b.records.size() > b.limit ? b.records.subList(0, (int) b.limit) : b.records;
        if (recs.isEmpty()) {
            throw new IllegalArgumentException("split '" + b.name + "' is empty: no images to iterate over");
        }
        this.name = b.name;
        this.records = List.copyOf(recs);
        this.loader = b.loader;
        this.batchSize = b.batchSize;
        this.channels = b.channels;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.standardizer = b.standardizer;
        this.augmentation = b.augmentation;
        this.prefetch = b.prefetch;
        this.workers = b.workers;
        this.epoch = b.startEpoch;
    }

    /** A builder over {@code records} (non-empty), loading images with {@code loader}. */
    public static Builder builder(List<ImageRecord> records, ImageLoader loader) {
        return new Builder(records, loader);
    }

    /** Seconds the decode workers have spent preparing images (load, resize, standardise), summed over workers. */
    public double decodeThreadSeconds() {
        return decodeNanos.sum() / 1e9;
    }

    /** The records iterated (after {@code limit}). */
    public List<ImageRecord> records() {
        return records;
    }

    /** The current epoch number. */
    public int epoch() {
        return epoch;
    }

    /** Number of batches per epoch. */
    public int batchesPerEpoch() {
        return (records.size() + batchSize - 1) / batchSize;
    }

    /** The record indices in the order epoch {@code e} visits them. */
    public List<Integer> order(int e) {
        List<Integer> order = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            order.add(i);
        }
        if (shuffle) {
            Collections.shuffle(order, new Random(seed + e));
        }
        return order;
    }

    @Override
    public boolean hasNext() {
        return batchesTaken < batchesPerEpoch();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " of split '" + name + "' is exhausted; call reset()");
        }
        if (producer == null) {
            producer = new Producer(epoch);
        }
        DataSet ds = producer.take();
        batchesTaken++;
        if (!hasNext()) {
            shutdown(); // the epoch's last batch: its threads have nothing left to do, so nobody has to stop them
        }
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /**
     * A look at the current epoch's first batch: its background threads are stopped afterwards and the epoch is
     * not advanced, so the next {@link #next()} starts the same epoch from its first batch again.
     */
    public DataSet firstBatch() {
        shutdown();
        batchesTaken = 0;
        DataSet ds = next();
        shutdown();
        batchesTaken = 0;
        return ds;
    }

    @Override
    public DataSet next(int num) {
        if (num != batchSize) {
            throw new UnsupportedOperationException("batch size is fixed at " + batchSize + " (asked " + num + ")");
        }
        return next();
    }

    @Override
    public int inputColumns() {
        return channels * loader.size() * loader.size();
    }

    @Override
    public int totalOutcomes() {
        return Finding.COUNT;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Stops prefetching and starts over at the next epoch (the same epoch if no batch was taken yet). */
    @Override
    public void reset() {
        shutdown();
        if (batchesTaken > 0) {
            epoch++;
        }
        batchesTaken = 0;
    }

    /** Restarts at the given epoch (e.g. when resuming training). */
    public void resetTo(int e) {
        shutdown();
        epoch = e;
        batchesTaken = 0;
    }

    /** Stops the background threads, so {@code try (var it = ...) { ... }} needs no shutdown() by hand. */
    @Override
    public void close() {
        shutdown();
    }

    /** Stops the background threads (also done by reset and close). */
    public void shutdown() {
        if (producer != null) {
            producer.stop();
            producer = null;
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor p) {
        this.preProcessor = p;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return Finding.labels();
    }

    /** One example as it enters the model: loaded, augmented, replicated, standardised. */
    public Pixels example(int recordIndex, int e, int position) {
        Pixels p = loader.load(records.get(recordIndex));
        p = augmentation.apply(p, new Random(mix(seed, e, position)));
        return standardizer.apply(p.replicate(channels));
    }

    private static long mix(long seed, int epoch, int position) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0xBF58476D1CE4E5B9L + position;
        return h ^ (h >>> 31);
    }

    /** Background batch builder for one epoch. */
    private final class Producer implements Runnable {
        private final int epoch;
        private final BlockingQueue<Object> queue;
        private final ExecutorService pool;
        private final Thread thread;
        private volatile boolean stopped;

        Producer(int epoch) {
            this.epoch = epoch;
            this.queue = new ArrayBlockingQueue<>(prefetch);
            this.pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "cxr-" + name + "-decode");
                t.setDaemon(true);
                return t;
            });
            this.thread = new Thread(this, "cxr-" + name + "-prefetch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            List<Integer> order = order(epoch);
            try {
                for (int i = 0; i < batchesPerEpoch() && !stopped; i++) {
                    queue.put(buildFor(order, i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
                try {
                    queue.put(cause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private DataSet buildFor(List<Integer> order, int i) throws Exception {
            int from = i * batchSize;
            int to = Math.min(from + batchSize, order.size());
            int b = to - from;
            int s = loader.size();
            int per = channels * s * s;
            float[] features = new float[b * per];
            float[] labels = new float[b * Finding.COUNT];
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < b; k++) {
                final int slot = k;
                final int pos = from + k;
                final int rec = order.get(pos);
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    Pixels p = example(rec, epoch, pos);
                    decodeNanos.add(System.nanoTime() - t0);
                    System.arraycopy(p.data(), 0, features, slot * per, per);
                    System.arraycopy(records.get(rec).multiHot(), 0, labels, slot * Finding.COUNT, Finding.COUNT);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return new DataSet(Nd4j.create(features, new long[] {b, channels, s, s}, DataType.FLOAT),
                    Nd4j.create(labels, new long[] {b, Finding.COUNT}, DataType.FLOAT));
        }

        DataSet take() {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (o instanceof RuntimeException re) {
                throw re;
            }
            if (o instanceof Error err) {
                throw err;
            }
            if (o instanceof Throwable t) {
                throw new IllegalStateException("building a batch of split '" + name + "' failed: " + t, t);
            }
            return (DataSet) o;
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            queue.clear();
            pool.shutdownNow();
            try {
                thread.join(10_000);
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builder of {@link CxrDataSetIterator}. */
    public static final class Builder {
        private final List<ImageRecord> records;
        private final ImageLoader loader;
        private String name = "split";
        private int batchSize = 8;
        private int channels = 3;
        private long seed = 42;
        private boolean shuffle = true;
        private int startEpoch;
        private Standardizer standardizer = Standardizer.samplewise();
        private Augmentation augmentation = Augmentation.none();
        private int prefetch = 4;
        private int workers = 2;
        private long limit = Long.MAX_VALUE;

        private Builder(List<ImageRecord> records, ImageLoader loader) {
            this.records = records;
            this.loader = loader;
        }

        /** Split name used in messages and thread names (default "split"). */
        public Builder name(String v) {
            this.name = v;
            return this;
        }

        /** Examples per batch (default 8); the last batch may be smaller. */
        public Builder batchSize(int v) {
            this.batchSize = positive(v, "batchSize");
            return this;
        }

        /** 1 (grey) or 3 (grey replicated, ImageNet-shaped; default). */
        public Builder channels(int v) {
            if (v != 1 && v != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, got " + v);
            }
            this.channels = v;
            return this;
        }

        /** Seed of the shuffles and augmentations (default 42). */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Shuffle each epoch (default true; false for val/test). */
        public Builder shuffle(boolean v) {
            this.shuffle = v;
            return this;
        }

        /** First epoch number (default 0), for resuming. */
        public Builder startEpoch(int v) {
            this.startEpoch = v;
            return this;
        }

        /** Standardiser (default samplewise). */
        public Builder standardizer(Standardizer v) {
            this.standardizer = v;
            return this;
        }

        /** Augmentation (default none). */
        public Builder augmentation(Augmentation v) {
            this.augmentation = v;
            return this;
        }

        /** Batches built ahead (default 4). */
        public Builder prefetch(int v) {
            this.prefetch = positive(v, "prefetch");
            return this;
        }

        /** Decoding threads (default 2). */
        public Builder workers(int v) {
            this.workers = positive(v, "workers");
            return this;
        }

        /** Use only the first {@code v} records. */
        public Builder limit(long v) {
            this.limit = positive(v, "limit");
            return this;
        }

        public CxrDataSetIterator build() {
            return new CxrDataSetIterator(this);
        }

        private static <T extends Number> T positive(T v, String what) {
            if (v.longValue() < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + v);
            }
            return v;
        }
    }
}
