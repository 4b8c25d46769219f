package org.cxrworkbook.model.engine;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DenseNet ComputationGraph whose training step ({@link #computeGradientAndScore()}) runs the base through oneDNN
 * ({@link BaseTraining}) and the head and loss through DL4J's own vertices. Everything else is DL4J's: the solver,
 * the updater, listeners, iteration counts.
 *
 * <p>It is a second view of a source graph, not a copy: it shares the source's configuration (so the iteration and
 * epoch counts), its flattened parameters, its flattened gradients and its updater's state array (so Adam's moments; {@link FusedAdamUpdater} applies the
 * source's current updater, re-read before every step, because DL4J swaps a graph's updater object when its learning
 * rate is changed). A step taken
 * through this graph's {@code fit} is a step of the source graph, which the caller keeps using for evaluation,
 * checkpoints and saving. Inputs the engine does not take (another data type, channel count) run DL4J's own step on
 * the same shared arrays, with one log line.
 */
final class EngineGraph extends ComputationGraph {

    private static final Logger LOG = LoggerFactory.getLogger(EngineGraph.class);
    /** Compiled input shapes kept (a full batch and an epoch's last, smaller one). */
    static final int SHAPES = 2;

    private final ComputationGraph source;
    /** The block edge up to which the source is frozen (run in inference mode on {@link FrozenBase}), or null. */
    private final String frozenEdge;
    /** Channels of the input the engine takes (the images', or the block edge's for a graph cut at one). */
    private final long inChannels;
    private final java.util.function.Function<long[], BaseTraining> compiler;
    private final List<String> head;
    private final Map<String, BaseTraining> compiled = new LinkedHashMap<>(4, 0.75f, true);
    private final Set<String> reported = new HashSet<>();
    private INDArray[] labelArrays;
    /** The updater steps go through: DL4J's, fused, on the source's current updater's state. */
    private FusedAdamUpdater updater;
    private DefaultGradient named;

    EngineGraph(ComputationGraph source, long inChannels, java.util.function.Function<long[], BaseTraining> compiler,
                List<String> head, String frozenEdge) {
        super(source.getConfiguration());
        this.source = source;
        this.frozenEdge = frozenEdge;
        this.inChannels = inChannels;
        this.compiler = compiler;
        this.head = List.copyOf(head);
        init(source.params(), false);
        if (source.getFlattenedGradients() == null) {
            source.initGradientsView();
        }
        flattenedGradients = source.getFlattenedGradients();
        setBackpropGradientsViewArray(flattenedGradients);
        useSourcesUpdater();
        if (source.getListeners() != null && !source.getListeners().isEmpty()) {
            setListeners(source.getListeners());
        }
    }

    @Override
    public void setLabels(INDArray... labels) {
        super.setLabels(labels);
        labelArrays = labels;
    }

    @Override
    public void setLabel(int index, INDArray label) {
        super.setLabel(index, label);
        if (labelArrays == null) {
            labelArrays = new INDArray[1];
        }
        labelArrays[index] = label;
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        computeGradientAndScore();
    }

    @Override
    public void computeGradientAndScore() {
        useSourcesUpdater();
        INDArray x = getInputs()[0];
        if (frozenEdge != null) { // frozen layers train nothing and run in inference mode, as DL4J's FrozenLayer
            x = FrozenBase.output(source, frozenEdge, x);
        }
        BaseTraining base = base(x);
        if (base == null) {
            super.computeGradientAndScore();
            return;
        }
        synchronizeIterEpochCounts();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray a = base.forward(this, x);
        GraphVertex[] hv = head.stream().map(this::getVertex).toArray(GraphVertex[]::new);
        try {
            for (GraphVertex v : hv) {
                v.setInput(0, a, mgr);
                a = v.doForward(true, mgr);
            }
            IOutputLayer out = (IOutputLayer) hv[hv.length - 1].getLayer();
            out.setLabels(labelArrays[0]);
            double s = out.computeScore(calcRegularizationScore(true), true, mgr);
            INDArray eps = null;
            for (int i = hv.length - 1; i >= 0; i--) {
                if (eps != null) {
                    hv[i].setEpsilon(eps);
                }
                eps = hv[i].doBackward(false, mgr).getSecond()[0];
            }
            base.backward(eps);
            // a NaN/infinity in the base: DL4J's ReLU would carry it to the loss, oneDNN's fused ReLU zeroes it, so the
            // step is reported with a NaN loss for the trainer's divergence check
            score = base.sawNonFinite() ? Double.NaN : s;
            gradient = allGradients();
        } finally {
            for (GraphVertex v : hv) {
                v.clear();
            }
        }
    }

    /**
     * Steps go through the source's updater as it is now (a {@link FusedAdamUpdater} sharing its state array): DL4J
     * replaces a graph's updater object when its learning rate changes ({@code NetworkUtils.refreshUpdater}).
     */
    private void useSourcesUpdater() {
        ComputationGraphUpdater current = source.getUpdater();
        if (updater == null || updater.source() != current) {
            updater = new FusedAdamUpdater(source, current);
            setUpdater(updater);
        }
    }

    /**
     * The step's gradient: the shared flattened view, with every layer's parameters named as DL4J names them (made
     * once per gradient array: its ~600 views cost more to make than the fused update).
     */
    private DefaultGradient allGradients() {
        if (named != null && named.gradient() == flattenedGradients) {
            return named;
        }
        DefaultGradient g = new DefaultGradient(flattenedGradients);
        for (Layer l : getLayers()) {
            if (l.numParams() == 0 || l.getGradientsViewArray() == null) {
                continue;
            }
            String name = l.conf().getLayer().getLayerName();
            l.conf().getLayer().initializer().getGradientsFromFlattened(l.conf(), l.getGradientsViewArray())
                    .forEach((k, v) -> g.setGradientFor(name + "_" + k, v));
        }
        named = g;
        return g;
    }

    /** The compiled base for {@code x}'s shape, or null (with one log line) when DL4J's own step must run. */
    private BaseTraining base(INDArray x) {
        String why = null;
        if (x.rank() != 4) {
            why = "input of rank " + x.rank() + ", the engine takes NCHW images";
        } else if (x.dataType() != DataType.FLOAT || params().dataType() != DataType.FLOAT) {
            why = "data type " + x.dataType() + " input / " + params().dataType()
                    + " parameters: the engine trains float32 only";
        } else if (x.size(1) != inChannels) {
            why = "input with " + x.size(1) + " channels, the graph's first layer takes " + inChannels + " (NHWC?)";
        }
        if (why != null) {
            report(why);
            return null;
        }
        String key = Arrays.toString(x.shape());
        BaseTraining b = compiled.get(key);
        if (b != null) {
            return b;
        }
        long t0 = System.nanoTime();
        try {
            b = compiler.apply(x.shape());
        } catch (LinkageError | RuntimeException e) {
            report("oneDNN refused input " + key + " (" + e.getMessage() + ")");
            return null;
        }
        if (compiled.size() >= SHAPES) {
            var eldest = compiled.entrySet().iterator().next();
            eldest.getValue().close();
            compiled.remove(eldest.getKey());
        }
        compiled.put(key, b);
        LOG.debug(String.format(Locale.ROOT, "training engine compiled for input %s in %.2f s", key,
                (System.nanoTime() - t0) / 1e9));
        return b;
    }

    private void report(String why) {
        if (reported.add(why)) {
            LOG.info("training step runs on the graph: {}", why);
        }
    }

    /**
     * Frees every compiled shape's native memory now, and the frozen part's inference engines (the graph stays
     * usable: the next step compiles again).
     */
    void release() {
        for (BaseTraining b : compiled.values()) {
            b.close();
        }
        compiled.clear();
        if (frozenEdge != null) {
            FrozenBase.release(source);
        }
    }
}
