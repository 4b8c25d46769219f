package org.cxrworkbook.model.engine;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
        FrozenBaseEngine engine = engine(graph, boundary, x);
        if (engine == null) {
            return graph.output(List.of(boundary), false, new INDArray[] {x}, null)[0];
        }
        synchronized (engine) {
            return engine.run(graph, x);
        }
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

    private static void report(String why, String boundary) {
        synchronized (COMPILED) {
            if (REPORTED.add(why)) {
                LOG.info("frozen base up to {} runs on the graph: {}", boundary, why);
            }
        }
    }
}
