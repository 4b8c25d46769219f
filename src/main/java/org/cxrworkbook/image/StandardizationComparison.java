package org.cxrworkbook.image;

import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.cxrworkbook.data.Decimals;
import org.cxrworkbook.data.ImageRecord;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Compares standardisers on the same images: what the pixel values look like after each (pooled mean and std,
 * spread of the per-image means). A correctly fitted featurewise standardiser gives pooled mean ≈ 0, std ≈ 1.
 */
public final class StandardizationComparison {

    private StandardizationComparison() {
    }

    /** Channel 0 of every image after the standardiser, concatenated. */
    public static float[] pooledValues(List<ImageRecord> images, ImageLoader loader, Standardizer standardizer) {
        int plane = loader.size() * loader.size();
        float[] out = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            Pixels p = standardizer.apply(loader.load(images.get(i)));
            System.arraycopy(p.data(), 0, out, i * plane, plane);
        }
        return out;
    }

    /** One row per standardiser: pooled mean/std/min/max of the standardised pixels, and the std of per-image means. */
    public static Table compare(List<ImageRecord> images, ImageLoader loader, Map<String, Standardizer> standardizers) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to compare standardisers on");
        }
        StringColumn name = StringColumn.create("standardiser");
        DoubleColumn mean = DoubleColumn.create("pooled mean");
        DoubleColumn std = DoubleColumn.create("pooled std");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        DoubleColumn spread = DoubleColumn.create("std of image means");
        int plane = loader.size() * loader.size();
        for (Map.Entry<String, Standardizer> e : standardizers.entrySet()) {
            float[] v = pooledValues(images, loader, e.getValue());
            PixelStats s = PixelStats.of(v);
            SummaryStatistics means = new SummaryStatistics();
            for (int i = 0; i < images.size(); i++) {
                double m = 0;
                for (int j = i * plane; j < (i + 1) * plane; j++) {
                    m += v[j];
                }
                means.addValue(m / plane);
            }
            name.append(e.getKey());
            mean.append(s.mean());
            std.append(s.std());
            min.append(s.min());
            max.append(s.max());
            spread.append(Math.sqrt(means.getPopulationVariance()));
        }
        return Decimals.table(Table.create("standardisation comparison (" + images.size() + " images)", name, mean, std, min,
                max, spread), 3);
    }
}
