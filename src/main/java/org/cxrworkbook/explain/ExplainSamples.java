package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.PngHeader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Builds {@link ExplainSample}s from a non-shuffling iterator of preprocessed images and their records. */
public final class ExplainSamples {

    private ExplainSamples() {
    }

    /**
     * One sample per record, in order, with the record's boxes from the dataset and the size of its PNG file read
     * from the file's header (the pixel space of NIH's boxes; Data_Entry's {@code OriginalImage[Width,Height]} is
     * not used). The iterator must yield exactly these records' images, unshuffled and preprocessed as the model
     * expects (e.g. featurewise-standardised test images).
     */
    public static List<ExplainSample> fromIterator(DataSetIterator it, List<ImageRecord> records,
                                                   ChestXrayDataset dataset) {
        return fromIterator(it, records, dataset::boxes, r -> dataset.pngHeader(r));
    }

    /**
     * As {@link #fromIterator(DataSetIterator, List, ChestXrayDataset)} with the boxes from {@code boxesOf}
     * (image index → boxes in PNG pixels) and the PNG header from {@code pngOf}.
     */
    public static List<ExplainSample> fromIterator(DataSetIterator it, List<ImageRecord> records,
                                                   Function<String, List<BoundingBox>> boxesOf,
                                                   Function<ImageRecord, PngHeader> pngOf) {
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
                PngHeader png = pngOf.apply(r);
                INDArray x = f.get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).dup();
                out.add(new ExplainSample(r.imageIndex(), x, r.findings(), boxesOf.apply(r.imageIndex()),
                        png.width(), png.height()));
            }
        }
        if (out.size() != records.size()) {
            throw new IllegalStateException("iterator yielded " + out.size() + " images for " + records.size()
                    + " records");
        }
        return out;
    }
}
