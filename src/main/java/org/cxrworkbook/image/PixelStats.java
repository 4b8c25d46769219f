package org.cxrworkbook.image;

import java.util.List;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.cxrworkbook.data.ImageRecord;

/**
 * Summary of an image's pixel values: min, max, mean and population standard deviation (numpy's
 * {@code np.std}, ddof 0), computed with Commons Math.
 */
public record PixelStats(long count, double min, double max, double mean, double std) {

    /** Statistics of all values of the image. */
    public static PixelStats of(Pixels image) {
        return of(image.data());
    }

    /** Statistics of the values. */
    public static PixelStats of(float[] values) {
        SummaryStatistics s = new SummaryStatistics();
        for (float v : values) {
            s.addValue(v);
        }
        return new PixelStats(s.getN(), s.getMin(), s.getMax(), s.getMean(), Math.sqrt(s.getPopulationVariance()));
    }

    /** Mean pixel value of each record's image as loaded (resized, [0, 255]), in record order. */
    public static double[] perImageMeans(List<ImageRecord> records, ImageLoader loader) {
        double[] means = new double[records.size()];
        for (int i = 0; i < means.length; i++) {
            means[i] = of(loader.load(records.get(i))).mean();
        }
        return means;
    }

    @Override
    public String toString() {
        return String.format("n=%d min=%.4f max=%.4f mean=%.4f std=%.4f", count, min, max, mean, std);
    }
}
