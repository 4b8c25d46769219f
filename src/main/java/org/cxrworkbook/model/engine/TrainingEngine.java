package org.cxrworkbook.model.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how a DenseNet graph is trained: {@link #forTraining} gives a graph whose {@code fit} runs the base's forward
 * and backward through oneDNN (the training engine, the default on the CPU backend) and steps the given graph's own
 * parameters and updater, or the given graph itself when the engine does not apply (switched off with
 * {@code -Dcxr.engine=graph} / {@code CXR_ENGINE=graph}, another backend, not float32, frozen layers, not a
 * Keras-named DenseNet from the images or from a block edge (a top cut by DL4J's TransferLearningHelper, as the staged
 * runs' stage 2 trains) to {@code relu}, a head that is not one chain of layers).
 */
public final class TrainingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);
    private static final Set<String> REPORTED = new HashSet<>();

    private TrainingEngine() {
    }

    /** The graph to call {@code fit} on to train {@code graph}: an engine view of it, or {@code graph} itself. */
    public static ComputationGraph forTraining(ComputationGraph graph) {
        Object plan = plan(graph);
        if (plan instanceof String why) {
            // a head-only graph (the staged runs' stage 1) or anything else that is not a DenseNet: no line for it
            if (graph.getConfiguration().getVertices().containsKey("conv1/conv")) {
                synchronized (REPORTED) {
                    if (REPORTED.add(why)) {
                        LOG.info("training runs on the graph: {}", why);
                    }
                }
            }
            return graph;
        }
        Plan p = (Plan) plan;
        return new EngineGraph(graph, p.inChannels(), p.compiler(), p.head(), p.frozenEdge());
    }

    /** Which path training {@code graph} takes: "onednn", or the reason it stays on the graph. */
    public static String path(ComputationGraph graph) {
        return plan(graph) instanceof String why ? why : "onednn";
    }

    /** Frees the native memory of an engine graph from {@link #forTraining} (nothing for another graph). */
    public static void release(ComputationGraph trained) {
        if (trained instanceof EngineGraph e) {
            e.release();
        }
    }

    /**
     * How to compile the base for an input shape, the input's channels, and the head's vertices in order from
     * {@code relu}'s consumer to the output.
     */
    private record Plan(long inChannels, Function<long[], BaseTraining> compiler, List<String> head,
                        String frozenEdge) {
    }

    /**
     * The block edge whose activations the trainable part starts from when {@code frozen} is exactly that edge and
     * everything it depends on (what {@code TransferLearning.setFeatureExtractor(edge)} freezes), else null.
     */
    private static String frozenEdge(ComputationGraphConfiguration conf, Set<String> frozen) {
        for (String edge : frozen) {
            if (!DenseNetTopology.isBlockEdge(edge)) {
                continue;
            }
            Set<String> upstream = new HashSet<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(edge));
            while (!todo.isEmpty()) {
                String v = todo.pop();
                if (conf.getVertices().containsKey(v) && upstream.add(v)) {
                    todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
                }
            }
            if (upstream.equals(frozen)) {
                return edge;
            }
        }
        return null;
    }

    private static Object plan(ComputationGraph graph) {
        if (FrozenBase.choice().equals("graph")) {
            return "engine switched off (" + FrozenBase.PROPERTY + "/" + FrozenBase.ENV + " = graph)";
        }
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (!backend.equals("CpuBackend")) {
            return "backend " + backend + ": the training engine runs on the CPU backend only";
        }
        if (graph.params().dataType() != DataType.FLOAT) {
            return graph.params().dataType() + " parameters: the training engine runs float32 only";
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Set<String> frozen = new HashSet<>();
        for (var e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof FrozenVertex || e.getValue() instanceof LayerVertex lv
                    && (lv.getLayerConf().getLayer() instanceof FrozenLayer
                    || lv.getLayerConf().getLayer() instanceof FrozenLayerWithBackprop)) {
                frozen.add(e.getKey());
            }
        }
        String frozenEdge = null;
        if (!frozen.isEmpty()) {
            frozenEdge = frozenEdge(conf, frozen);
            if (frozenEdge == null) {
                return "frozen layers that are not everything up to one block edge (" + frozen.size()
                        + " frozen vertices)";
            }
        }
        // trained from: the edge the graph is frozen up to (that part in inference mode on FrozenBase), or pool1 after
        // the stem for a whole DenseNet, or the graph's input for a top cut at an edge (the staged runs' stage 2)
        boolean fromImages = frozenEdge == null && conf.getVertices().containsKey("conv1/conv");
        long inChannels;
        Function<long[], BaseTraining> compiler;
        try {
            DenseNetTopology stem = fromImages ? DenseNetTopology.of(graph, "relu") : null; // the whole net checked
            DenseNetTopology.Span span = frozenEdge != null ? DenseNetTopology.span(graph, frozenEdge)
                    : fromImages ? DenseNetTopology.span(graph, "pool1") : DenseNetTopology.span(graph);
            inChannels = stem != null ? stem.inChannels() : span.channels();
            compiler = shape -> new BaseTraining(stem, span, shape);
        } catch (DenseNetTopology.Unsupported u) {
            return u.getMessage();
        }
        if (conf.getNetworkOutputs().size() != 1) {
            return "the graph has " + conf.getNetworkOutputs().size() + " outputs";
        }
        List<String> head = new ArrayList<>();
        String at = "relu";
        String output = conf.getNetworkOutputs().get(0);
        while (!at.equals(output)) {
            List<String> next = new ArrayList<>();
            for (var e : conf.getVertexInputs().entrySet()) {
                if (e.getValue().contains(at)) {
                    next.add(e.getKey());
                }
            }
            if (next.size() != 1 || conf.getVertexInputs().get(next.get(0)).size() != 1
                    || !(conf.getVertices().get(next.get(0)) instanceof LayerVertex)) {
                return "the head after " + at + " is not one chain of layers (" + next + ")";
            }
            at = next.get(0);
            head.add(at);
        }
        if (head.isEmpty()) {
            return "relu is the graph's output: no head and loss to train";
        }
        return new Plan(inChannels, compiler, head, frozenEdge);
    }
}
