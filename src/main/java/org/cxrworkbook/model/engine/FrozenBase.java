package org.cxrworkbook.model.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.cxrworkbook.model.DenseNet;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frozen base's activations at a boundary vertex, {@code graph.output(List.of(boundary), false, x)}, computed by
 * the oneDNN engine ({@link FrozenBaseEngine}) on the CPU backend, or by the graph itself when the engine is switched
 * off ({@code -Dcxr.engine=graph} or {@code CXR_ENGINE=graph}), the backend is not the CPU (the CUDA profile keeps
 * DL4J), or the graph, boundary or input is one the engine does not run (then one log line names the reason).
 *
 * <p>The engine is compiled once per graph, boundary and input shape (kept while the graph is referenced, up to
 * {@value #SHAPES} shapes per graph) and reads the graph's parameter arrays on every call, so the graph stays the
 * only copy of the model. Its results agree with the graph's within float rounding (see FrozenBaseTest); a feature
 * cache written by either path is accepted by the other.
 */
public final class FrozenBase {

    /** System property choosing the engine: {@code onednn} (default) or {@code graph}. */
    public static final String PROPERTY = "cxr.engine";
    /** Environment variable read when the property is not set. */
    public static final String ENV = "CXR_ENGINE";
    static final int SHAPES = 3;
    /** The pooled features the engine computes before the head: DenseNet's global average pool. */
    static final String FEATURES = DenseNet.FEATURES;
    /** The stem's first convolution: a graph without it is not a DenseNet from images (a head-only graph). */
    static final String STEM = "conv1/conv";

    private static final Logger LOG = LoggerFactory.getLogger(FrozenBase.class);
    private static final Map<ComputationGraph, Compiled> COMPILED = new WeakHashMap<>();
    private static final Set<String> REPORTED = new HashSet<>();

    private FrozenBase() {
    }

    /** What was compiled for one graph: per boundary its structure or why it is refused, per shape an engine. */
    private static final class Compiled {
        final Map<String, Object> topologies = new LinkedHashMap<>();
        final Map<String, FrozenBaseEngine> engines = new LinkedHashMap<>(8, 0.75f, true);
    }

    /** {@code graph}'s activations at {@code boundary} for input {@code x}, inference mode. */
    public static INDArray output(ComputationGraph graph, String boundary, INDArray x) {
        while (true) {
            FrozenBaseEngine engine = engine(graph, boundary, x);
            if (engine == null) {
                return graph.output(List.of(boundary), false, new INDArray[] {x}, null)[0];
            }
            synchronized (engine) {
                if (!engine.closed()) {
                    return engine.run(graph, x);
                }
            } // released by another thread between the lookup and the run: compile again
        }
    }

    /**
     * The whole network's output, {@code graph.outputSingle(false, x)}, for a DenseNet whose base the engine runs: the
     * base up to {@value #FEATURES} through {@link #output}, then the layers after it (the chain of layer vertices from
     * {@value #FEATURES} to the graph's single output, e.g. the {@code predictions} OutputLayer) in inference mode on
     * the graph's own layers. Anything else runs {@code graph.outputSingle(false, x)}: silently for a graph without a
     * DenseNet stem or without {@value #FEATURES} (a head trained on cached activations or pooled features), with one
     * log line naming the reason for a DenseNet the engine does not run (see {@link #predictionsPath}).
     */
    public static INDArray predictions(ComputationGraph graph, INDArray x) {
        Head head = head(graph);
        if (head == null) {
            return graph.outputSingle(false, x);
        }
        String why = head.refused() != null ? head.refused() : reason(graph, FEATURES, x);
        if (why != null) {
            reportPredictions(why);
            return graph.outputSingle(false, x);
        }
        INDArray a = output(graph, FEATURES, x);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (String name : head.layers()) {
            LayerVertex v = (LayerVertex) graph.getVertex(name);
            if (v.getLayerPreProcessor() != null) {
                a = v.getLayerPreProcessor().preProcess(a, (int) a.size(0), mgr);
            }
            Layer layer = v.getLayer();
            try {
                a = layer.activate(a, false, mgr);
            } finally {
                layer.clear(); // the layer keeps no reference to this batch
            }
        }
        return a;
    }

    /** Which path {@link #predictions} takes for these arguments: "onednn", or why it runs the graph. */
    public static String predictionsPath(ComputationGraph graph, INDArray x) {
        Head head = head(graph);
        if (head == null) {
            return "no " + STEM + " or no " + FEATURES + " (not a DenseNet from images, e.g. a head-only graph)";
        }
        String why = head.refused() != null ? head.refused() : reason(graph, FEATURES, x);
        return why == null ? "onednn" : why;
    }

    /**
     * Frees the native memory of every engine compiled for {@code graph} now, instead of when the graph is garbage
     * collected; for callers done with a graph's frozen-base pass (stage 0's feature pass, a prediction pass). Using
     * the graph with the engine afterwards compiles again (0.07–0.3 s per input shape). Safe to call for any graph.
     */
    public static void release(ComputationGraph graph) {
        Compiled c;
        synchronized (COMPILED) {
            c = COMPILED.remove(graph);
        }
        if (c == null) {
            return;
        }
        for (FrozenBaseEngine e : c.engines.values()) {
            synchronized (e) {
                e.close();
            }
        }
    }

    /** The fallback reasons logged so far in this JVM (each is logged once), for tests. */
    static Set<String> reported() {
        synchronized (COMPILED) {
            return Set.copyOf(REPORTED);
        }
    }

    /** Number of engines compiled and not released for {@code graph} (for tests and figures). */
    public static int compiledEngines(ComputationGraph graph) {
        synchronized (COMPILED) {
            Compiled c = COMPILED.get(graph);
            return c == null ? 0 : c.engines.size();
        }
    }

    /** The layer vertices after {@value #FEATURES} up to the output, in order, or why they are not run so. */
    private record Head(List<String> layers, String refused) {
    }

    /**
     * The chain of layer vertices after {@value #FEATURES} up to the graph's only output (empty if {@value #FEATURES}
     * is the output), or the reason they are not one; null for a graph without the stem's {@code conv1/conv} or
     * without {@value #FEATURES} (it runs on the graph silently).
     */
    private static Head head(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, org.deeplearning4j.nn.conf.graph.GraphVertex> vertices = conf.getVertices();
        if (!vertices.containsKey(STEM) || !vertices.containsKey(FEATURES)) {
            return null;
        }
        List<String> outputs = conf.getNetworkOutputs();
        if (outputs.size() != 1) {
            return new Head(List.of(), "the graph has " + outputs.size() + " outputs " + outputs + ", predictions "
                    + "need one");
        }
        List<String> chain = new ArrayList<>();
        String v = outputs.get(0);
        while (!v.equals(FEATURES)) {
            if (!(vertices.get(v) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex)) {
                return new Head(List.of(), "vertex '" + v + "' between " + FEATURES + " and the output is not a "
                        + "layer (" + (vertices.get(v) == null ? "a network input" : vertices.get(v).getClass()
                        .getSimpleName()) + ")");
            }
            List<String> in = conf.getVertexInputs().get(v);
            if (in == null || in.size() != 1) {
                return new Head(List.of(), "layer '" + v + "' after " + FEATURES + " has inputs " + in + ", not one");
            }
            chain.add(0, v);
            v = in.get(0);
        }
        return new Head(chain, null);
    }

    /** Which path {@link #output} takes for these arguments: "onednn", or the reason it falls back to the graph. */
    public static String path(ComputationGraph graph, String boundary, INDArray x) {
        String why = reason(graph, boundary, x);
        return why == null ? "onednn" : why;
    }

    /** The engine switch: {@code -Dcxr.engine}, else {@code CXR_ENGINE}, else onednn; anything else is an error. */
    public static String choice() {
        String v = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
            source = ENV;
        }
        if (v == null || v.isBlank()) {
            return "onednn";
        }
        String c = v.trim().toLowerCase(Locale.ROOT);
        if (!c.equals("onednn") && !c.equals("graph")) {
            throw new IllegalArgumentException(source + "=" + v + ": allowed values are onednn (the default) and graph");
        }
        return c;
    }

    /** Why the engine does not run these arguments (null if it does). */
    static String reason(ComputationGraph graph, String boundary, INDArray x) {
        if (choice().equals("graph")) {
            return "engine switched off (" + PROPERTY + "/" + ENV + " = graph)";
        }
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (!backend.equals("CpuBackend")) {
            return "backend " + backend + ": the engine runs on the CPU backend only";
        }
        if (x.rank() != 4) {
            return "input of rank " + x.rank() + ", the engine takes NCHW images";
        }
        if (x.dataType() != DataType.FLOAT || graph.params().dataType() != DataType.FLOAT) {
            return "data type " + x.dataType() + " input / " + graph.params().dataType()
                    + " parameters: the engine runs float32 only";
        }
        Object t;
        synchronized (COMPILED) {
            t = COMPILED.computeIfAbsent(graph, g -> new Compiled()).topologies.computeIfAbsent(boundary, b -> {
                try {
                    return DenseNetTopology.of(graph, b);
                } catch (DenseNetTopology.Unsupported e) {
                    return e.getMessage();
                }
            });
        }
        if (t instanceof String s) {
            return s;
        }
        DenseNetTopology topo = (DenseNetTopology) t;
        if (x.size(1) != topo.inChannels()) {
            return "input with " + x.size(1) + " channels, conv1/conv takes " + topo.inChannels()
                    + " (an NHWC input?)";
        }
        return null;
    }

    private static FrozenBaseEngine engine(ComputationGraph graph, String boundary, INDArray x) {
        String why = reason(graph, boundary, x);
        if (why != null) {
            report(why, boundary);
            return null;
        }
        String key = boundary + " " + Arrays.toString(x.shape());
        synchronized (COMPILED) {
            Compiled c = COMPILED.get(graph);
            FrozenBaseEngine e = c.engines.get(key);
            if (e != null) {
                return e;
            }
            Object t = c.topologies.get(boundary);
            long t0 = System.nanoTime();
            try {
                e = new FrozenBaseEngine((DenseNetTopology) t, x.shape());
            } catch (DenseNetTopology.Unsupported u) {
                c.topologies.put(boundary, u.getMessage());
                report(u.getMessage(), boundary);
                return null;
            } catch (LinkageError | RuntimeException err) {
                // the natives did not load (UnsatisfiedLinkError, NoClassDefFoundError) or a primitive was refused
                String msg = "oneDNN unavailable (" + err + ")";
                c.topologies.put(boundary, msg);
                report(msg, boundary);
                return null;
            }
            if (c.engines.size() >= SHAPES) {
                var eldest = c.engines.entrySet().iterator().next();
                synchronized (eldest.getValue()) {
                    eldest.getValue().close();
                }
                c.engines.remove(eldest.getKey());
            }
            c.engines.put(key, e);
            if (REPORTED.add("compiled " + key)) {
                LOG.info(String.format(Locale.ROOT, "frozen base up to %s on oneDNN %s for input %s: compiled in "
                                + "%.2f s (%d primitives; 3x3 convolutions %s)", boundary, Dnnl.version(),
                        Arrays.toString(x.shape()), (System.nanoTime() - t0) / 1e9, e.impls.size(),
                        e.convWritesSlice ? "write into the block buffer" : "copied into the block buffer"));
            }
            return e;
        }
    }

    private static void reportPredictions(String why) {
        synchronized (COMPILED) {
            if (REPORTED.add("predictions: " + why)) {
                LOG.info("predictions run on the graph: {}", why);
            }
        }
    }

    private static void report(String why, String boundary) {
        synchronized (COMPILED) {
            if (REPORTED.add(why)) {
                LOG.info("frozen base up to {} runs on the graph: {}", boundary, why);
            }
        }
    }
}
