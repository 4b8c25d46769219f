package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.ImageRecord;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Builds {@link ExplainSample}s from a non-shuffling iterator of preprocessed images and their records. */
public final class ExplainSamples {

    private ExplainSamples() {
    }

    /**
     * One sample per record, in order: the iterator must yield exactly these records' images, unshuffled and
     * preprocessed as the model expects (e.g. featurewise-standardised test images). Boxes come from
     * {@code boxesOf} (image index → boxes in original pixels); the original size from the record.
     */
    public static List<ExplainSample> fromIterator(DataSetIterator it, List<ImageRecord> records,
                                                   Function<String, List<BoundingBox>> boxesOf) {
        if (it.resetSupported()) {
            it.reset();
        }
        List<ExplainSample> out = new ArrayList<>(records.size());
        while (it.hasNext()) {
            DataSet batch = it.next();
            INDArray f = batch.getFeatures();
            for (long b = 0; b < f.size(0); b++) {
                if (out.size() >= records.size()) {
                    throw new IllegalStateException("iterator yields more images than the " + records.size()
                            + " records");
                }
                ImageRecord r = records.get(out.size());
                if (r.originalWidth() <= 0 || r.originalHeight() <= 0) {
                    throw new IllegalArgumentException(r.imageIndex()
                            + ": original image size unknown, cannot place its boxes");
                }
                INDArray x = f.get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).dup();
                out.add(new ExplainSample(r.imageIndex(), x, r.findings(), boxesOf.apply(r.imageIndex()),
                        r.originalWidth(), r.originalHeight()));
            }
        }
        if (out.size() != records.size()) {
            throw new IllegalStateException("iterator yielded " + out.size() + " images for " + records.size()
                    + " records");
        }
        return out;
    }
}
