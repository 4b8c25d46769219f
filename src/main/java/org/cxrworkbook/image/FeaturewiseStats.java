package org.cxrworkbook.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.cxrworkbook.data.Decimals;
import org.cxrworkbook.data.ImageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-channel mean and (population) standard deviation pooled over a sample of training images —
 * what Keras' {@code ImageDataGenerator.fit(x)} computes ({@code np.mean/np.std} over axes batch, row, col).
 *
 * @param mean   per-channel mean
 * @param std    per-channel standard deviation (ddof 0, as numpy)
 * @param images how many images (distinct or not) the statistics were fitted on
 */
public record FeaturewiseStats(float[] mean, float[] std, int images) {

    private static final Logger LOG = LoggerFactory.getLogger(FeaturewiseStats.class);

    /** The course's sample size. */
    public static final int DEFAULT_SAMPLE = 100;

    /** Mean of channel c (channel 0 when the statistics have one channel and the image more). */
    public float mean(int c) {
        return mean[mean.length == 1 ? 0 : c];
    }

    /** Std of channel c (channel 0 when the statistics have one channel and the image more). */
    public float std(int c) {
        return std[std.length == 1 ? 0 : c];
    }

    /** Pooled per-channel statistics of the given images (all the same shape). */
    public static FeaturewiseStats fit(List<Pixels> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("featurewise fit needs at least one image, got none");
        }
        Pixels first = images.get(0);
        int ch = first.channels();
        double[] sum = new double[ch];
        long n = (long) images.size() * first.plane();
        for (Pixels p : images) {
            if (p.channels() != ch || p.plane() != first.plane()) {
                throw new IllegalArgumentException("featurewise fit: images differ in shape");
            }
            for (int c = 0; c < ch; c++) {
                sum[c] += Standardizer.mean(p.data(), c * p.plane(), (c + 1) * p.plane()) * p.plane();
            }
        }
        float[] mean = new float[ch];
        float[] std = new float[ch];
        for (int c = 0; c < ch; c++) {
            double m = sum[c] / n;
            double ss = 0;
            for (Pixels p : images) {
                float[] x = p.data();
                for (int i = c * p.plane(), end = i + p.plane(); i < end; i++) {
                    double d = x[i] - m;
                    ss += d * d;
                }
            }
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(ss / n);
        }
        return new FeaturewiseStats(mean, std, images.size());
    }

    /**
     * Fits on {@code sample} distinct images drawn (seeded) from {@code train}, each loaded by {@code loader}
     * and replicated to {@code channels}. Fewer distinct images than asked: fits on all of them and logs a
     * warning. No images: {@link IllegalArgumentException}.
     */
    public static FeaturewiseStats fit(List<ImageRecord> train, int sample, long seed, ImageLoader loader, int channels) {
        LinkedHashMap<String, ImageRecord> distinct = new LinkedHashMap<>();
        for (ImageRecord r : train) {
            distinct.putIfAbsent(r.imageIndex(), r);
        }
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("featurewise fit: the training split is empty, no images to fit on");
        }
        List<ImageRecord> pool = new ArrayList<>(distinct.values());
        if (pool.size() < sample) {
            LOG.warn("featurewise fit asked for {} distinct images but the training split has only {}: using all {}",
                    sample, pool.size(), pool.size());
        }
        Collections.shuffle(pool, new Random(seed));
        List<Pixels> images = new ArrayList<>();
        for (ImageRecord r : pool.subList(0, Math.min(sample, pool.size()))) {
            images.add(loader.load(r).replicate(channels));
        }
        return fit(images);
    }

    /**
     * Reproduces the course's single-film bug: {@code util.get_mean_std_per_batch}, used by
     * {@code util.load_image} for prediction and Grad-CAM, loads the film it is given {@code times} times, so
     * the "dataset" statistics are that one film's own (its val/test generator fits correctly on 100
     * distinct training images). For notebook 04's demonstration only.
     */
    public static FeaturewiseStats fitRepeatedImage(ImageRecord image, int times, ImageLoader loader, int channels) {
        Pixels p = loader.load(image).replicate(channels);
        return fit(Collections.nCopies(times, p));
    }

    @Override
    public String toString() {
        return "FeaturewiseStats[mean=" + Decimals.sig(mean, 4) + ", std=" + Decimals.sig(std, 4) + ", images=" + images + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeaturewiseStats f && Arrays.equals(mean, f.mean) && Arrays.equals(std, f.std) && images == f.images;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std) + images;
    }
}
