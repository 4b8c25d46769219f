package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.List;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.SavedSplit;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.image.FeaturewiseStats;
import org.cxrworkbook.image.Standardization;
import org.cxrworkbook.image.ImageCache;
import org.cxrworkbook.image.ImageLoader;

/**
 * The three iterators a training run needs, made from a ChestX-ray14-layout folder: patient-wise
 * train/val/test split, images resized to the model size, the training split standardised per image
 * (Keras samplewise) and shuffled per epoch with the seed, validation and test standardised featurewise
 * with statistics fitted on distinct training images (the course's convention), and the class
 * frequencies of the training split for the loss.
 */
public record TrainingData(DataSettings settings, ChestXrayDataset dataset, SplitSet splits, ImageLoader loader,
                           FeaturewiseStats stats, CxrDataSetIterator train, CxrDataSetIterator val,
                           CxrDataSetIterator test, ClassFrequencies frequencies, Path labelsFile) {

    private static final Standardization STANDARDIZATION = Standardization.courseDefault();

    /**
     * Loads {@code dataDir} (at most {@code maxImages} images, whole patients; 0 = all), splits it with
     * {@code valFraction} of the non-test patients for validation, and builds iterators starting at
     * training epoch {@code startEpoch} (0 for a new run, the checkpoint's completed epochs on resume).
     */
    public static TrainingData load(Path dataDir, int imageSize, int channels, int batchSize, long maxImages,
                                    double valFraction, long seed, int startEpoch) {
        return load(new DataSettings(dataDir, imageSize, channels, batchSize, maxImages, valFraction, seed), 0, startEpoch);
    }

    /** As {@link #load(Path, int, int, int, long, double, long, int)} from saved settings (evaluation: epoch 0). */
    public static TrainingData load(DataSettings settings) {
        return load(settings, 0, 0);
    }

    /**
     * From saved settings (evaluation: epoch 0), with the split saved in {@code workDir} ({@link SavedSplit}): the same
     * training, validation and test images as the notebooks and the training run.
     */
    public static TrainingData load(DataSettings settings, Path workDir) {
        return load(settings, workDir, 0, 0);
    }

    /**
     * Loads the data described by {@code s}, keeping only {@code maxTrainImages} training images (0 = all;
     * "few labels") while validation and test stay whole; the split is computed here, not saved.
     */
    public static TrainingData load(DataSettings s, long maxTrainImages, int startEpoch) {
        return load(s, null, maxTrainImages, startEpoch);
    }

    /**
     * As {@link #load(DataSettings, long, int)} with the split saved in {@code workDir} ({@link SavedSplit}: read when
     * it was made with these settings, else computed and saved; null = computed only).
     */
    public static TrainingData load(DataSettings s, Path workDir, long maxTrainImages, int startEpoch) {
        return of(s, ChestXrayDataset.load(s.dataDir()), workDir, maxTrainImages, startEpoch);
    }

    /**
     * As {@link #load(DataSettings)} from a dataset already read, e.g. a course folder read with renamed files
     * ({@link ChestXrayDataset#load(Path, org.cxrworkbook.data.CourseLayout)}); {@code s.dataDir()} must be its folder.
     */
    public static TrainingData load(DataSettings s, ChestXrayDataset dataset) {
        if (!dataset.root().toAbsolutePath().normalize().equals(s.dataDir().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("the dataset read from " + dataset.root() + " is not the data folder of the "
                    + "settings, " + s.dataDir());
        }
        return of(s, dataset, null, 0, 0);
    }

    private static TrainingData of(DataSettings s, ChestXrayDataset ds, Path workDir, long maxTrainImages, int startEpoch) {
        if (s.maxImages() > 0) {
            ds = ds.limit(s.maxImages(), s.seed());
        }
        SplitSet split = SavedSplit.obtain(ds, workDir, s.valFraction(), s.seed(), s.maxImages());
        if (maxTrainImages > 0 && split.train().size() > maxTrainImages) {
            List<ImageRecord> few = new java.util.ArrayList<>(split.train());
            java.util.Collections.shuffle(few, new java.util.Random(s.seed()));
            split = new SplitSet(List.copyOf(few.subList(0, (int) maxTrainImages)), split.val(), split.test());
        }
        if (split.train().isEmpty()) {
            throw new TrainingException("the training split of " + s.dataDir() + " is empty (" + ds.records().size()
                    + " images in total): use more images or a smaller validation fraction");
        }
        ImageLoader loader = new ImageLoader(ds::imagePath, s.imageSize(), ImageCache.memory(512L << 20));
        FeaturewiseStats stats = FeaturewiseStats.fit(split.train(), STANDARDIZATION.fitSample(), s.seed(), loader,
                s.channels());
        CxrDataSetIterator train = CxrDataSetIterator.builder(split.train(), loader).name("train")
                .channels(s.channels()).batchSize(s.batchSize()).seed(s.seed()).shuffle(true).startEpoch(startEpoch)
                .standardizer(STANDARDIZATION.standardizer("train", stats)).build();
        TrainingData partial = new TrainingData(s, ds, split, loader, stats, train, null, null,
                ClassFrequencies.of(split.train()), ds.labelsFile());
        CxrDataSetIterator val = split.val().isEmpty() ? null : partial.evalIterator(split.val(), "val");
        CxrDataSetIterator test = split.test().isEmpty() ? null : partial.evalIterator(split.test(), "test");
        return new TrainingData(s, ds, split, loader, stats, train, val, test, partial.frequencies(), partial.labelsFile());
    }

    /** The dataset of {@code s} (its CSV only: no image is decoded), cut to {@code s.maxImages()} whole patients. */
    public static ChestXrayDataset dataset(DataSettings s) {
        ChestXrayDataset ds = ChestXrayDataset.load(s.dataDir());
        return s.maxImages() > 0 ? ds.limit(s.maxImages(), s.seed()) : ds;
    }

    /** The patient-wise train/val/test split of {@code ds} under {@code s} (no image decoded). */
    public static SplitSet splits(ChestXrayDataset ds, DataSettings s) {
        return ds.splits(s.valFraction(), s.seed());
    }

    /**
     * An iterator over any evaluation images (in order, no shuffling, no augmentation) preprocessed as the
     * validation and test splits are: featurewise statistics of the training images.
     */
    public CxrDataSetIterator evalIterator(List<ImageRecord> records, String name) {
        return CxrDataSetIterator.builder(records, loader).name(name).channels(settings.channels())
                .batchSize(settings.batchSize()).seed(settings.seed()).shuffle(false)
                .standardizer(STANDARDIZATION.standardizer(name.equals("val") ? "val" : "test", stats)).build();
    }

    /**
     * An iterator over {@code records} in order (no shuffling, no augmentation) preprocessed as {@code split}'s images
     * are ("train": per image; "val"/"test": featurewise statistics of the training images): what a frozen base is fed
     * once to cache its activations.
     */
    public CxrDataSetIterator orderedIterator(List<ImageRecord> records, String split) {
        return CxrDataSetIterator.builder(records, loader).name(split + "-ordered").channels(settings.channels())
                .batchSize(settings.batchSize()).seed(settings.seed()).shuffle(false)
                .standardizer(STANDARDIZATION.standardizer(split, stats)).build();
    }

    /** The preprocessing of every split as text (modes and fit sample), for cache keys and provenance. */
    public static String preprocessing() {
        return STANDARDIZATION.toString();
    }

    /** The class-frequency weighted loss of the training split. */
    public WeightedBinaryCrossEntropy loss() {
        return WeightedBinaryCrossEntropy.of(frequencies);
    }

    /** Sizes of the splits, e.g. "train 700, val 150, test 350 images". */
    public String describe() {
        return String.format("train %d, val %d, test %d images; train samplewise, val/test featurewise (%s)",
                splits.train().size(), splits.val().size(), splits.test().size(), stats);
    }
}
