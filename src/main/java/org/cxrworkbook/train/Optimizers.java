package org.cxrworkbook.train;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
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
        for (Map.Entry<String, GraphVertex> e : graph.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer base) {
                setAdam(base, learningRate, beta1, beta2);
                Layer runtime = graph.getLayer(e.getKey());
                if (runtime != null && runtime.conf().getLayer() instanceof BaseLayer rb && rb != base) {
                    setAdam(rb, learningRate, beta1, beta2);
                }
                changed++;
            }
        }
        graph.setUpdater(new ComputationGraphUpdater(graph));
        return changed;
    }

    private static void setAdam(BaseLayer layer, double learningRate, double beta1, double beta2) {
        layer.setIUpdater(new Adam(learningRate, beta1, beta2, Adam.DEFAULT_ADAM_EPSILON));
        layer.setBiasUpdater(null);
    }
}
