package org.cxrworkbook.train;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape checks between a graph and the data fed to it, with messages that say what to fix. */
final class Shapes {

    private Shapes() {
    }

    /** Number of outputs of the graph's output layer, or -1 if it cannot be read from the configuration. */
    static long outputWidth(ComputationGraph graph) {
        Layer out = graph.getOutputLayer(0);
        if (out.conf().getLayer() instanceof FeedForwardLayer ff && ff.getNOut() > 0) {
            return ff.getNOut();
        }
        return -1;
    }

    /** Throws if the label matrix does not have one column per model output. */
    static void checkLabels(ComputationGraph graph, INDArray labels, String where) {
        long width = outputWidth(graph);
        if (labels == null) {
            throw new TrainingException(where + " has no labels");
        }
        if (labels.rank() != 2 || (width > 0 && labels.size(1) != width)) {
            throw new TrainingException("labels of " + where + " have shape " + Arrays.toString(labels.shape())
                    + " but the model's output layer '" + graph.getOutputLayer(0).conf().getLayer().getLayerName()
                    + "' has " + width + " outputs: expected [batch, " + width + "] multi-hot labels");
        }
    }

    /** "[channels, height, width]" of a feature batch, without the batch dimension. */
    static long[] perImageShape(INDArray features) {
        return Arrays.copyOfRange(features.shape(), 1, features.rank());
    }
}
