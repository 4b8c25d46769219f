package org.cxrworkbook.explain;

import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;

/**
 * One image to score: its lesion boxes in the PNG file's pixels, the PNG's size, and a heatmap for (at least)
 * every boxed finding, all maps of the same size.
 */
public record LocalisationCase(String imageIndex, double pngWidth, double pngHeight,
                               List<BoundingBox> boxes, Map<Finding, float[][]> heatmaps) {

    /** Copies the lists/maps (the float arrays are shared). */
    public LocalisationCase {
        boxes = List.copyOf(boxes);
        heatmaps = Map.copyOf(heatmaps);
        if (!(pngWidth > 0 && pngHeight > 0)) {
            throw new IllegalArgumentException(imageIndex + ": PNG size must be positive, got "
                    + pngWidth + "×" + pngHeight);
        }
    }
}
