package org.cxrworkbook.train;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batches of cached activations (features + labels held in memory) for the {@link Trainer}. With shuffling, every
 * {@link #reset()} draws a new order from the seed and the number of resets, so epoch {@code e} of a run sees the same
 * order on every rerun. Hand-written because DL4J's in-memory iterators ({@code ListDataSetIterator},
 * {@code INDArrayDataSetIterator}) keep one order for all epochs.
 */
public final class FeatureIterator implements DataSetIterator {

    private final INDArray features;
    private final INDArray labels;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int[] order;
    private int cursor;
    private int resets;
    private DataSetPreProcessor preProcessor;

    /** An iterator over rows of {@code features} / {@code labels} (same row count). */
    public FeatureIterator(INDArray features, INDArray labels, int batchSize, boolean shuffle, long seed) {
        if (features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("features have " + features.size(0) + " rows, labels " + labels.size(0));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.features = features;
        this.labels = labels;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = identity((int) features.size(0));
    }

    /** Number of rows. */
    public int size() {
        return order.length;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        int n = Math.min(num, order.length - cursor);
        if (n <= 0) {
            throw new java.util.NoSuchElementException("no more batches");
        }
        DataSet ds;
        if (!shuffle) {
            ds = new DataSet(slice(features, cursor, n), slice(labels, cursor, n));
        } else {
            int[] rows = java.util.Arrays.copyOfRange(order, cursor, cursor + n);
            ds = new DataSet(rows(features, rows), rows(labels, rows));
        }
        cursor += n;
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** The given rows of a c-order array of any rank (as a 2-D view for {@link Nd4j#pullRows}, then reshaped back). */
    private static INDArray rows(INDArray a, int[] rows) {
        long[] shape = a.shape().clone();
        INDArray flat = a.reshape('c', shape[0], a.length() / shape[0]);
        shape[0] = rows.length;
        return Nd4j.pullRows(flat, 1, rows).reshape('c', shape);
    }

    private static INDArray slice(INDArray a, int from, int n) {
        INDArray v = a.get(NDArrayIndex.interval(from, from + n));
        return v.dup();
    }

    @Override
    public void reset() {
        cursor = 0;
        if (shuffle) {
            resets++;
            order = identity(order.length);
            Random r = new Random(seed * 1_000_003L + resets);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    @Override
    public int inputColumns() {
        return (int) (features.length() / Math.max(1, features.size(0)));
    }

    @Override
    public int totalOutcomes() {
        return (int) labels.size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
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
        return null;
    }
}
