package org.cxrworkbook.model.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * The DenseNet structure of a ComputationGraph as the engine runs it, read from the graph's own configuration by
 * Keras' layer names (conv1/conv, conv2_block1_0_bn, pool2_conv, bn, ...), with every layer's settings and wiring
 * checked against what the engine computes: a graph that differs anywhere up to the boundary is refused with the
 * reason, never run with other arithmetic.
 *
 * @param stemFilters  output channels of conv1/conv
 * @param inChannels   input channels of conv1/conv
 * @param blockLayers  dense layers per block (6, 12, 24, 16 for DenseNet121), up to the boundary's block
 * @param growth       channels each dense layer adds
 * @param bottleneck   channels of each dense layer's 1×1 convolution
 * @param transitions  output channels of each transition's 1×1 convolution
 * @param eps          BatchNorm epsilon (one value for every BN, as Keras builds it)
 * @param boundary     the vertex whose output is wanted
 */
record DenseNetTopology(int stemFilters, int inChannels, int[] blockLayers, int growth, int bottleneck,
                        int[] transitions, double eps, String boundary, Cut cut) {

    /** Where the run stops: after pool1, in block {@code block} after {@code layers} dense layers, after a
     *  transition (the next block with 0 layers), or at the final bn / relu / avg_pool. */
    record Cut(int block, int layers, Tail tail) {
    }

    /** What follows the last dense block's buffer at the cut. */
    enum Tail { NONE, BN, RELU, AVG_POOL }

    /** Why a graph or boundary is not run by the engine. */
    static final class Unsupported extends Exception {
        Unsupported(String reason) {
            super(reason);
        }
    }

    /** Reads and checks the structure of {@code graph} from the input up to {@code boundary}. */
    static DenseNetTopology of(ComputationGraph graph, String boundary) throws Unsupported {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Reader r = new Reader(conf);
        if (!conf.getVertices().containsKey(boundary)) {
            throw new Unsupported("no vertex named '" + boundary + "' in the graph");
        }
        if (conf.getNetworkInputs().size() != 1) {
            throw new Unsupported("the graph has " + conf.getNetworkInputs().size() + " inputs, a DenseNet has one");
        }
        String x = conf.getNetworkInputs().get(0);
        r.padding("zero_padding2d", x, 3);
        ConvolutionLayer stem = r.conv("conv1/conv", "zero_padding2d", 7, 2, 0, ConvolutionMode.Truncate);
        double eps = r.bn("conv1/bn", "conv1/conv").getEps();
        r.relu("conv1/relu", "conv1/bn");
        r.padding("zero_padding2d_1", "conv1/relu", 1);
        r.pool("pool1", "zero_padding2d_1", PoolingType.MAX, 3, 2);
        List<Integer> layers = new ArrayList<>();
        List<Integer> transitions = new ArrayList<>();
        x = "pool1";
        int growth = -1;
        int bottleneck = -1;
        Cut cut = boundary.equals("pool1") ? new Cut(0, 0, Tail.NONE) : null;
        for (int b = 0; cut == null; b++) {
            String stage = "conv" + (b + 2);
            if (!r.has(stage + "_block1_0_bn")) {
                break;
            }
            int l = 0;
            while (cut == null && r.has(stage + "_block" + (l + 1) + "_0_bn")) {
                String n = stage + "_block" + (l + 1);
                int[] widths = new int[2];
                eps = denseLayer(r, n, x, eps, widths);
                int mid = widths[0];
                int g = widths[1];
                if (growth < 0) {
                    growth = g;
                    bottleneck = mid;
                } else if (g != growth || mid != bottleneck) {
                    throw new Unsupported(n + " has widths " + mid + "/" + g + ", the other dense layers "
                            + bottleneck + "/" + growth);
                }
                r.concat(n + "_concat", x, n + "_2_conv");
                x = n + "_concat";
                l++;
                if (x.equals(boundary)) {
                    cut = new Cut(b, l, Tail.NONE);
                }
            }
            layers.add(l);
            if (cut != null) {
                break;
            }
            String t = "pool" + (b + 2);
            if (r.has(t + "_bn")) {
                eps = r.sameEps(r.bn(t + "_bn", x), eps);
                r.relu(t + "_relu", t + "_bn");
                transitions.add((int) r.conv(t + "_conv", t + "_relu", 1, 1, 0, ConvolutionMode.Truncate).getNOut());
                r.pool(t + "_pool", t + "_conv", PoolingType.AVG, 2, 2);
                x = t + "_pool";
                if (x.equals(boundary)) {
                    cut = new Cut(b + 1, 0, Tail.NONE);
                }
            } else {
                if (boundary.equals("bn") || boundary.equals("relu") || boundary.equals("avg_pool")) {
                    eps = r.sameEps(r.bn("bn", x), eps);
                    Tail tail = Tail.BN;
                    if (!boundary.equals("bn")) {
                        r.relu("relu", "bn");
                        tail = Tail.RELU;
                    }
                    if (boundary.equals("avg_pool")) {
                        r.globalAvg("avg_pool", "relu");
                        tail = Tail.AVG_POOL;
                    }
                    cut = new Cut(b, l, tail);
                }
                break;
            }
        }
        if (cut == null) {
            throw new Unsupported("boundary '" + boundary + "' is not one the engine stops at (pool1, a dense "
                    + "layer's *_concat, a transition's *_pool, bn, relu, avg_pool)");
        }
        if (layers.size() == cut.block()) {
            layers.add(0); // pool1 or a transition's pool: the next block's buffer holds just the pooled channels
        }
        return new DenseNetTopology((int) stem.getNOut(), (int) stem.getNIn(),
                layers.stream().mapToInt(Integer::intValue).toArray(), Math.max(growth, 0), Math.max(bottleneck, 0),
                transitions.stream().mapToInt(Integer::intValue).toArray(), eps, boundary, cut);
    }

    /**
     * Checks dense layer {@code n} ({@code n_0_bn … n_2_conv}) reading {@code x}; puts its bottleneck and growth widths
     * into {@code widths}; returns the BatchNorm epsilon (the same as {@code eps} unless that is NaN).
     */
    private static double denseLayer(Reader r, String n, String x, double eps, int[] widths) throws Unsupported {
        eps = same(r.bn(n + "_0_bn", x).getEps(), eps);
        r.relu(n + "_0_relu", n + "_0_bn");
        widths[0] = (int) r.conv(n + "_1_conv", n + "_0_relu", 1, 1, 0, ConvolutionMode.Truncate).getNOut();
        eps = same(r.bn(n + "_1_bn", n + "_1_conv").getEps(), eps);
        r.relu(n + "_1_relu", n + "_1_bn");
        widths[1] = (int) r.conv(n + "_2_conv", n + "_1_relu", 3, 1, 1, ConvolutionMode.Same).getNOut();
        return eps;
    }

    private static double same(double e, double eps) throws Unsupported {
        if (!Double.isNaN(eps) && e != eps) {
            throw new Unsupported("BatchNorm epsilons differ (" + e + " vs " + eps + ")");
        }
        return e;
    }

    /** One piece of a DenseNet trained from a block edge: dense layers of a block, a transition, or the final norm. */
    sealed interface Piece permits Layers, Transition, FinalNorm {
    }

    /** Dense layers {@code first … first + count − 1} (1-based) of block {@code stage}. */
    record Layers(String stage, int first, int count) implements Piece {
    }

    /** Transition {@code prefix} (e.g. pool3) to {@code out} channels. */
    record Transition(String prefix, int out) implements Piece {
    }

    /** The final {@code bn} + {@code relu}. */
    record FinalNorm() implements Piece {
    }

    /**
     * What follows a block edge up to {@code relu}, for a graph whose input is that edge (a trainable top cut by
     * DL4J's TransferLearningHelper, e.g. stage 2's graph from {@code conv5_block15_concat}): the pieces in order, the
     * edge's channels, widths and epsilon; every vertex checked as in {@link #of}.
     */
    record Span(String input, int channels, List<Piece> pieces, int growth, int bottleneck, double eps) {
    }

    private static final java.util.regex.Pattern CONCAT = java.util.regex.Pattern.compile("conv(\\d+)_block(\\d+)_concat");
    private static final java.util.regex.Pattern POOL = java.util.regex.Pattern.compile("pool(\\d+)_pool");

    /** Whether {@code vertex} names a block edge a span can start from: a dense layer's concat, a pool, pool1. */
    static boolean isBlockEdge(String vertex) {
        return CONCAT.matcher(vertex).matches() || POOL.matcher(vertex).matches() || vertex.equals("pool1");
    }

    /** The span from the graph's input, a block edge, to {@code relu}. */
    static Span span(ComputationGraph graph) throws Unsupported {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new Unsupported("the graph has " + conf.getNetworkInputs().size() + " inputs");
        }
        return span(graph, conf.getNetworkInputs().get(0));
    }

    /** The span from block edge {@code input} (a vertex or the graph's input) to {@code relu}. */
    static Span span(ComputationGraph graph, String input) throws Unsupported {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int stageNo;
        int done;
        var m = CONCAT.matcher(input);
        var p = POOL.matcher(input);
        if (m.matches()) {
            stageNo = Integer.parseInt(m.group(1));
            done = Integer.parseInt(m.group(2));
        } else if (p.matches()) {
            stageNo = Integer.parseInt(p.group(1)) + 1;
            done = 0;
        } else if (input.equals("pool1")) {
            stageNo = 2;
            done = 0;
        } else {
            throw new Unsupported("the graph's input '" + input + "' is not a block edge of a Keras-named DenseNet");
        }
        Reader r = new Reader(conf);
        List<Piece> pieces = new ArrayList<>();
        String x = input;
        double eps = Double.NaN;
        int growth = -1;
        int bottleneck = -1;
        int channels = -1;
        int[] widths = new int[2];
        for (int b = stageNo; ; b++) {
            String stage = "conv" + b;
            int first = done + 1;
            int l = done;
            while (r.has(stage + "_block" + (l + 1) + "_0_bn")) {
                String n = stage + "_block" + (l + 1);
                if (channels < 0) {
                    channels = (int) r.bn(n + "_0_bn", x).getNOut();
                }
                eps = denseLayer(r, n, x, eps, widths);
                if (growth < 0) {
                    growth = widths[1];
                    bottleneck = widths[0];
                } else if (widths[1] != growth || widths[0] != bottleneck) {
                    throw new Unsupported(n + " has widths " + widths[0] + "/" + widths[1] + ", the other dense layers "
                            + bottleneck + "/" + growth);
                }
                r.concat(n + "_concat", x, n + "_2_conv");
                x = n + "_concat";
                l++;
            }
            if (l > done) {
                pieces.add(new Layers(stage, first, l - done));
            }
            done = 0;
            String t = "pool" + b;
            if (r.has(t + "_bn")) {
                BatchNormalization bn = r.bn(t + "_bn", x);
                if (channels < 0) {
                    channels = (int) bn.getNOut();
                }
                eps = same(bn.getEps(), eps);
                r.relu(t + "_relu", t + "_bn");
                int out = (int) r.conv(t + "_conv", t + "_relu", 1, 1, 0, ConvolutionMode.Truncate).getNOut();
                r.pool(t + "_pool", t + "_conv", PoolingType.AVG, 2, 2);
                pieces.add(new Transition(t, out));
                x = t + "_pool";
                continue;
            }
            BatchNormalization bn = r.bn("bn", x);
            if (channels < 0) {
                channels = (int) bn.getNOut();
            }
            eps = same(bn.getEps(), eps);
            r.relu("relu", "bn");
            pieces.add(new FinalNorm());
            break;
        }
        if (growth < 0) {
            growth = 0;
            bottleneck = 0;
        }
        return new Span(input, channels, List.copyOf(pieces), growth, bottleneck, eps);
    }

    /** Channels entering block {@code b}. */
    int blockInput(int b) {
        return b == 0 ? stemFilters : transitions[b - 1];
    }

    /** Channels of block {@code b}'s buffer: its input plus every dense layer run up to the cut. */
    int blockChannels(int b) {
        return blockInput(b) + growth * blockLayers[b];
    }

    /** Reads vertices by name and checks their type, settings and inputs. */
    private static final class Reader {
        final Map<String, GraphVertex> vertices;
        final Map<String, List<String>> inputs;

        Reader(ComputationGraphConfiguration conf) {
            vertices = conf.getVertices();
            inputs = conf.getVertexInputs();
        }

        boolean has(String name) {
            return vertices.containsKey(name);
        }

        <T extends Layer> T layer(String name, Class<T> type, String... from) throws Unsupported {
            GraphVertex v = vertices.get(name);
            if (v == null) {
                throw new Unsupported("no layer named '" + name + "': not a Keras-named DenseNet");
            }
            if (!(v instanceof LayerVertex lv)) {
                throw new Unsupported(name + " is a " + v.getClass().getSimpleName() + ", expected a "
                        + type.getSimpleName());
            }
            if (lv.getPreProcessor() != null) {
                throw new Unsupported(name + " has an input preprocessor");
            }
            Layer l = lv.getLayerConf().getLayer();
            while (l instanceof FrozenLayer || l instanceof BaseWrapperLayer) {
                l = l instanceof FrozenLayer f ? f.getLayer() : ((BaseWrapperLayer) l).getUnderlying();
            }
            if (l.getClass() != type) {
                throw new Unsupported(name + " is a " + l.getClass().getSimpleName() + ", expected a "
                        + type.getSimpleName());
            }
            wired(name, from);
            return type.cast(l);
        }

        void wired(String name, String... from) throws Unsupported {
            if (!Arrays.asList(from).equals(inputs.get(name))) {
                throw new Unsupported(name + " takes " + inputs.get(name) + ", expected " + Arrays.asList(from));
            }
        }

        void padding(String name, String from, int p) throws Unsupported {
            ZeroPaddingLayer z = layer(name, ZeroPaddingLayer.class, from);
            if (!Arrays.equals(z.getPadding(), new int[] {p, p, p, p})) {
                throw new Unsupported(name + " pads " + Arrays.toString(z.getPadding()) + ", expected " + p);
            }
            if (z.getDataFormat() != null && z.getDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(name + " is " + z.getDataFormat() + ": the engine runs NCHW graphs only");
            }
        }

        ConvolutionLayer conv(String name, String from, int k, int s, int pad, ConvolutionMode mode)
                throws Unsupported {
            ConvolutionLayer c = layer(name, ConvolutionLayer.class, from);
            boolean ok = Arrays.equals(c.getKernelSize(), new int[] {k, k}) && Arrays.equals(c.getStride(), new int[] {s, s})
                    && Arrays.equals(c.getDilation(), new int[] {1, 1}) && c.getConvolutionMode() == mode
                    && (mode == ConvolutionMode.Same || Arrays.equals(c.getPadding(), new int[] {pad, pad}))
                    && !c.hasBias() && identity(c.getActivationFn());
            if (!ok) {
                throw new Unsupported(name + " is not a " + k + "x" + k + "/" + s + " " + mode
                        + " convolution without bias and activation");
            }
            if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(name + " is " + c.getCnn2dDataFormat() + ": the engine runs NCHW graphs only");
            }
            return c;
        }

        BatchNormalization bn(String name, String from) throws Unsupported {
            BatchNormalization b = layer(name, BatchNormalization.class, from);
            // no activation check: DL4J's BatchNormalization layer returns its pre-output (its activate() never
            // applies the configured activation function, which defaults to sigmoid)
            if (b.isLockGammaBeta() || b.isUseLogStd()) {
                throw new Unsupported(name + ": locked gamma/beta or log-std variance is not supported");
            }
            if (b.getCnn2DFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(name + " is " + b.getCnn2DFormat() + ": the engine runs NCHW graphs only");
            }
            return b;
        }

        double sameEps(BatchNormalization b, double eps) throws Unsupported {
            if (b.getEps() != eps) {
                throw new Unsupported("BatchNorm epsilons differ (" + b.getEps() + " vs " + eps + ")");
            }
            return eps;
        }

        void relu(String name, String from) throws Unsupported {
            IActivation a = layer(name, ActivationLayer.class, from).getActivationFn();
            // ActivationReLU with no max, threshold or negative slope prints as plain "relu"
            if (!(a instanceof ActivationReLU) || !a.equals(new ActivationReLU())) {
                throw new Unsupported(name + " is " + a + ", expected a plain ReLU");
            }
        }

        void pool(String name, String from, PoolingType type, int k, int s) throws Unsupported {
            SubsamplingLayer p = layer(name, SubsamplingLayer.class, from);
            boolean ok = p.getPoolingType() == type && Arrays.equals(p.getKernelSize(), new int[] {k, k})
                    && Arrays.equals(p.getStride(), new int[] {s, s}) && Arrays.equals(p.getPadding(), new int[] {0, 0})
                    && Arrays.equals(p.getDilation(), new int[] {1, 1})
                    && p.getConvolutionMode() == ConvolutionMode.Truncate;
            if (!ok) {
                throw new Unsupported(name + " is not a " + k + "x" + k + "/" + s + " " + type + " pool without padding");
            }
            if (p.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new Unsupported(name + " is " + p.getCnn2dDataFormat() + ": the engine runs NCHW graphs only");
            }
        }

        void globalAvg(String name, String from) throws Unsupported {
            GlobalPoolingLayer g = layer(name, GlobalPoolingLayer.class, from);
            if (g.getPoolingType() != PoolingType.AVG || !g.isCollapseDimensions()) {
                throw new Unsupported(name + " is not a collapsing global average pool");
            }
        }

        void concat(String name, String a, String b) throws Unsupported {
            GraphVertex v = vertices.get(name);
            if (v instanceof FrozenVertex f) {
                v = f.getUnderlying();
            }
            if (!(v instanceof MergeVertex m) || m.getMergeAxis() != 1) {
                throw new Unsupported(name + " is not a MergeVertex along the channels");
            }
            wired(name, a, b);
        }

        static boolean identity(IActivation a) {
            return a == null || a instanceof ActivationIdentity;
        }
    }
}
