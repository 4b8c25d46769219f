package org.cxrworkbook.explain;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A heatmap method computed from one target vertex's activations and the gradient of the tail after it (Grad-CAM,
 * Grad-CAM++), so that {@link GradCamRun} can get the activations of many images from one batched forward pass
 * instead of a full pass per image and method.
 */
public interface LayerHeatmapMethod extends HeatmapMethod {

    /** The target vertex name. */
    String layer();

    /** The class score the tail must give: {@link #heatmaps(INDArray, TailHead, int, int, int...)} gets a tail built for it. */
    Score score();

    /**
     * Heatmaps of one image from its activations at {@link #layer()} ([1, c, h, w]) and the tail rebuilt for them
     * with {@link #score()}, resized to {@code height × width}, in the order of {@code classIndices}.
     */
    List<float[][]> heatmaps(INDArray activations, TailHead head, int height, int width, int... classIndices);
}
