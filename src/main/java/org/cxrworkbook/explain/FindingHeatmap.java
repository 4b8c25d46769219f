package org.cxrworkbook.explain;

import org.cxrworkbook.data.Finding;

/** A heatmap of one finding for one image, with the model's probability for that finding. */
public record FindingHeatmap(Finding finding, double probability, float[][] map) {
}
