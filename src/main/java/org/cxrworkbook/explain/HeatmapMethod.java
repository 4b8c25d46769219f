package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A class-activation heatmap method (Grad-CAM, Grad-CAM++): one image in, one map in [0, 1] of the image's size out. */
public interface HeatmapMethod {

    /** Short name for tables and file names, e.g. {@code gradcam}. */
    String name();

    /**
     * Heatmap for one image and one class.
     *
     * @param graph      the model
     * @param input      one preprocessed image, NCHW {@code [1, channels, height, width]}
     * @param classIndex output column (a {@code Finding.ordinal()} for the 14-finding models)
     * @return {@code [height][width]} map scaled so its maximum is 1 (all zeros if nothing is positive)
     */
    float[][] heatmap(ComputationGraph graph, INDArray input, int classIndex);

    /**
     * Heatmaps of several classes of one image, in the order given. Methods override this to run the network
     * forward once per image instead of once per class.
     */
    default List<float[][]> heatmaps(ComputationGraph graph, INDArray input, int... classIndices) {
        List<float[][]> out = new ArrayList<>();
        for (int c : classIndices) {
            out.add(heatmap(graph, input, c));
        }
        return out;
    }
}
