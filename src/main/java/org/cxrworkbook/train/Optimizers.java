package org.cxrworkbook.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** Puts DL4J's Adam updater on a graph's trainable layers (frozen layers keep their no-op updater). */
public final class Optimizers {

    private Optimizers() {
    }

    /**
     * Installs {@code Adam(learningRate, beta1, beta2, 1e-8)} on every trainable layer of {@code graph}
     * and gives it a fresh updater state (zero moments). Frozen layers ({@code FrozenLayer} wrappers) are
     * left alone. Returns the number of layers changed.
     */
    public static int useAdam(ComputationGraph graph, double learningRate, double beta1, double beta2) {
        int changed = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new Adam(learningRate, beta1, beta2, Adam.DEFAULT_ADAM_EPSILON));
                base.setBiasUpdater(null);
                changed++;
            }
        }
        graph.setUpdater(new ComputationGraphUpdater(graph));
        return changed;
    }
}
