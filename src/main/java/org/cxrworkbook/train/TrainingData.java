package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.List;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.image.ImageCache;
import org.cxrworkbook.image.ImageLoader;

/**
 * The three iterators a training run needs, made from a ChestX-ray14-layout folder: patient-wise
 * train/val/test split, images resized to {@code imageSize} and standardised per image, the training
 * order shuffled per epoch with the seed, and the class frequencies of the training split for the loss.
 */
public record TrainingData(ChestXrayDataset dataset, SplitSet splits, CxrDataSetIterator train, CxrDataSetIterator val,
                           CxrDataSetIterator test, ClassFrequencies frequencies, Path labelsFile) {

    /** Name of the NIH label file, recorded with SHA-256 in each checkpoint. */
    public static final String LABELS_CSV = "Data_Entry_2017_v2020.csv";

    /**
     * Loads {@code dataDir} (at most {@code maxImages} images, whole patients; 0 = all), splits it with
     * {@code valFraction} of the non-test patients for validation, and builds iterators starting at
     * training epoch {@code startEpoch} (0 for a new run, the checkpoint's completed epochs on resume).
     */
    public static TrainingData load(Path dataDir, int imageSize, int channels, int batchSize, long maxImages,
                                    double valFraction, long seed, int startEpoch) {
        return load(dataDir, imageSize, channels, batchSize, maxImages, 0, valFraction, seed, startEpoch);
    }

    /**
     * As {@link #load(Path, int, int, int, long, double, long, int)}, keeping only {@code maxTrainImages}
     * training images (0 = all; "few labels") while validation and test stay whole.
     */
    public static TrainingData load(Path dataDir, int imageSize, int channels, int batchSize, long maxImages,
                                    long maxTrainImages, double valFraction, long seed, int startEpoch) {
        ChestXrayDataset ds = ChestXrayDataset.load(dataDir);
        if (maxImages > 0) {
            ds = ds.limit(maxImages, seed);
        }
        SplitSet s = ds.splits(valFraction, seed);
        if (maxTrainImages > 0 && s.train().size() > maxTrainImages) {
            List<ImageRecord> few = new java.util.ArrayList<>(s.train());
            java.util.Collections.shuffle(few, new java.util.Random(seed));
            s = new SplitSet(List.copyOf(few.subList(0, (int) maxTrainImages)), s.val(), s.test());
        }
        if (s.train().isEmpty()) {
            throw new TrainingException("the training split of " + dataDir + " is empty (" + ds.records().size()
                    + " images in total): use more images or a smaller validation fraction");
        }
        ImageLoader loader = new ImageLoader(ds::imagePath, imageSize, ImageCache.memory(512L << 20));
        CxrDataSetIterator train = iterator(s.train(), "train", loader, channels, batchSize, seed, true, startEpoch);
        CxrDataSetIterator val = s.val().isEmpty() ? null : iterator(s.val(), "val", loader, channels, batchSize, seed, false, 0);
        CxrDataSetIterator test = s.test().isEmpty() ? null : iterator(s.test(), "test", loader, channels, batchSize, seed, false, 0);
        return new TrainingData(ds, s, train, val, test, ClassFrequencies.of(s.train()), dataDir.resolve(LABELS_CSV));
    }

    private static CxrDataSetIterator iterator(List<ImageRecord> records, String name, ImageLoader loader, int channels,
                                               int batchSize, long seed, boolean shuffle, int startEpoch) {
        return CxrDataSetIterator.builder(records, loader).name(name).channels(channels).batchSize(batchSize)
                .seed(seed).shuffle(shuffle).startEpoch(startEpoch).build();
    }

    /** The class-frequency weighted loss of the training split. */
    public WeightedBinaryCrossEntropy loss() {
        return WeightedBinaryCrossEntropy.of(frequencies);
    }

    /** Sizes of the splits, e.g. "train 700, val 150, test 350 images". */
    public String describe() {
        return String.format("train %d, val %d, test %d images", splits.train().size(), splits.val().size(),
                splits.test().size());
    }
}
