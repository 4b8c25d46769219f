package org.cxrworkbook.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The two transfer-learning stages of the workbook, over DL4J's {@link TransferLearning.GraphBuilder}:
 * (1) {@link #headStage}: a new sigmoid head (default {@code predictions}, 14 outputs, the weighted
 * loss) on top of a base frozen up to a named vertex; (2) {@link #fineTuneStage}: the same network with
 * the top blocks (a named vertex and everything after it) trainable again, for a lower learning rate.
 */
public final class TransferLearningPlan {

    private final String freezeUpTo;
    private final String unfreezeFrom;
    private final String headName;
    private final String headInput;
    private final int classes;
    private final ILossFunction loss;
    private final double learningRate;
    private final long seed;

    private TransferLearningPlan(Builder b) {
        this.freezeUpTo = b.freezeUpTo;
        this.unfreezeFrom = b.unfreezeFrom;
        this.headName = b.headName;
        this.headInput = b.headInput;
        this.classes = b.classes;
        this.loss = b.loss;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
    }

    /** Defaults: freeze up to {@code avg_pool}, unfreeze from {@code conv5_block1_0_bn}, head {@code predictions} on {@code avg_pool}, 14 classes. */
    public static Builder builder() {
        return new Builder();
    }

    public String freezeUpTo() { return freezeUpTo; }
    public String unfreezeFrom() { return unfreezeFrom; }

    /**
     * Stage 1: removes the old head (if present), adds a new {@code OutputLayer} (sigmoid, {@code classes}
     * outputs, the plan's loss) on the head input, and freezes {@code freezeUpTo} and every vertex it
     * depends on. The new head gets Adam with the plan's learning rate.
     */
    public ComputationGraph headStage(ComputationGraph base) {
        requireVertex(base, freezeUpTo);
        requireVertex(base, headInput);
        long nIn = headWidth(base);
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(seed).build())
                .setFeatureExtractor(freezeUpTo);
        if (base.getConfiguration().getVertices().containsKey(headName)) {
            b.removeVertexAndConnections(headName);
        }
        OutputLayer.Builder head = new OutputLayer.Builder(loss).nOut(classes).activation(Activation.SIGMOID)
                .weightInit(WeightInit.XAVIER);
        if (nIn > 0) {
            head.nIn(nIn);
        }
        return b.addLayer(headName, head.build(), headInput).setOutputs(headName).build();
    }

    /**
     * Stage 2: a copy of {@code trained} (same parameters) whose layers from {@code unfreezeFrom} onwards
     * (that vertex and all vertices that depend on it) are trainable again, with Adam at
     * {@code fineTuneLearningRate}; the layers before stay frozen.
     */
    public ComputationGraph fineTuneStage(ComputationGraph trained, double fineTuneLearningRate) {
        requireVertex(trained, unfreezeFrom);
        return unfreeze(trained, descendants(trained.getConfiguration(), unfreezeFrom), fineTuneLearningRate);
    }

    /** Names of the layers whose parameters are frozen (wrapped in DL4J's frozen layer), sorted. */
    public static Set<String> frozenLayers(ComputationGraph graph) {
        Set<String> names = new TreeSet<>();
        graph.getConfiguration().getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv && isFrozen(lv.getLayerConf().getLayer())) {
                names.add(name);
            }
        });
        return names;
    }

    static boolean isFrozen(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof FrozenLayer || conf instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
    }

    /** Number of trainable parameters (parameters of layers that are not frozen). */
    public static long trainableParams(ComputationGraph graph) {
        Set<String> frozen = frozenLayers(graph);
        long n = 0;
        for (Layer l : graph.getLayers()) {
            if (!frozen.contains(l.getConfig().getLayerName())) {
                n += l.numParams();
            }
        }
        return n;
    }

    private static ComputationGraph unfreeze(ComputationGraph g, Set<String> names, double lr) {
        ComputationGraphConfiguration conf = g.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (names.contains(e.getKey()) && e.getValue() instanceof LayerVertex lv) {
                org.deeplearning4j.nn.conf.layers.Layer c = lv.getLayerConf().getLayer();
                if (c instanceof FrozenLayer f) {
                    lv.getLayerConf().setLayer(f.getLayer());
                } else if (c instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) {
                    lv.getLayerConf().setLayer(((BaseWrapperLayer) f).getUnderlying());
                }
            }
        }
        ComputationGraph out = new ComputationGraph(conf);
        out.init(g.params().dup(), false);
        Optimizers.useAdam(out, lr, 0.9, 0.999);
        return out;
    }

    /** The vertex and all vertices downstream of it. */
    static Set<String> descendants(ComputationGraphConfiguration conf, String start) {
        Map<String, List<String>> consumers = new HashMap<>();
        conf.getVertexInputs().forEach((v, inputs) -> inputs.forEach(
                in -> consumers.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(v)));
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                todo.addAll(consumers.getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    /** Inputs of the existing head layer (the width of the pooled features), -1 if there is none. */
    private long headWidth(ComputationGraph base) {
        if (base.getConfiguration().getVertices().get(headName) instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof FeedForwardLayer ff) {
            return ff.getNIn();
        }
        return -1;
    }

    private static void requireVertex(ComputationGraph g, String name) {
        if (!g.getConfiguration().getVertices().containsKey(name)) {
            throw new IllegalArgumentException("the network has no vertex named '" + name + "' (it has "
                    + g.getConfiguration().getVertices().size() + " vertices, e.g. "
                    + g.getConfiguration().getVertices().keySet().stream().limit(5).toList() + ", …)");
        }
    }

    /** Builder of {@link TransferLearningPlan}. */
    public static final class Builder {
        private String freezeUpTo = "avg_pool";
        private String unfreezeFrom = "conv5_block1_0_bn";
        private String headName = "predictions";
        private String headInput = "avg_pool";
        private int classes = 14;
        private ILossFunction loss;
        private double learningRate = 1e-3;
        private long seed = 42;

        private Builder() {
        }

        /** Last vertex of the frozen base (it and all its ancestors are frozen in the head stage). */
        public Builder freezeUpTo(String v) { freezeUpTo = v; return this; }
        /** First vertex made trainable again in the fine-tune stage (with everything after it). */
        public Builder unfreezeFrom(String v) { unfreezeFrom = v; return this; }
        public Builder headName(String v) { headName = v; return this; }
        /** Vertex the new head reads (the pooled features). */
        public Builder headInput(String v) { headInput = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        /** Loss of the new head, e.g. the class-frequency weighted binary cross-entropy. */
        public Builder loss(ILossFunction v) { loss = v; return this; }
        /** Adam learning rate of the head stage. */
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public TransferLearningPlan build() {
            if (loss == null) {
                loss = new org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT();
            }
            if (classes < 1) {
                throw new IllegalArgumentException("classes must be at least 1, got " + classes);
            }
            return new TransferLearningPlan(this);
        }
    }
}
