package org.cxrworkbook.data.phantom;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What a phantom generation produced: where, how many images/patients/boxes, per-label image counts
 * (14 findings in canonical order, then "No Finding"), split sizes and the speed.
 */
public record PhantomSummary(Path root, int images, int patients, int size, Site site, long seed, int threads,
                             int boxes, Map<String, Integer> labelCounts, Map<String, Integer> splitImages,
                             double seconds) {

    /** Images written per second of wall-clock time. */
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "phantom site %s: %d images (%dx%d) of %d patients, %d boxes, seed %d -> %s%n",
                site, images, size, size, patients, boxes, seed, root));
        sb.append(String.format(Locale.ROOT, "  %.2f s, %.1f images/s on %d threads%n", seconds, imagesPerSecond(), threads));
        sb.append("  splits: ").append(splitImages).append('\n');
        labelCounts.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-20s %6d  %5.1f %%%n", k, v, 100.0 * v / images)));
        return sb.toString();
    }
}
