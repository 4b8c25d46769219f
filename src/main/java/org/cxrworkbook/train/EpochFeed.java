package org.cxrworkbook.train;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One epoch of training batches for the {@code ParallelWrapper}: an already read (and checked) first batch,
 * then the rest of {@code rest}, counting batches and images as they are served (possibly from the wrapper's
 * prefetch thread). It cannot be reset: the trainer positions the underlying iterator itself each epoch.
 */
final class EpochFeed implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final transient DataSetIterator rest;
    private transient DataSet first;
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicLong images = new AtomicLong();

    EpochFeed(DataSet first, DataSetIterator rest) {
        this.first = first;
        this.rest = rest;
    }

    int batches() {
        return batches.get();
    }

    long images() {
        return images.get();
    }

    @Override
    public boolean hasNext() {
        return first != null || rest.hasNext();
    }

    @Override
    public DataSet next() {
        DataSet ds;
        if (first != null) {
            ds = first;
            first = null;
        } else {
            ds = rest.next();
        }
        batches.incrementAndGet();
        images.addAndGet(ds.getFeatures().size(0));
        return ds;
    }

    @Override
    public DataSet next(int num) {
        return next();
    }

    @Override
    public int inputColumns() {
        return rest.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return rest.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return false;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("an epoch feed is read once; the trainer resets the training iterator");
    }

    @Override
    public int batch() {
        return rest.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("set the pre-processor on the training iterator");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return rest.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return rest.getLabels();
    }
}
