package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.LongPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole dense block of a Keras-named DenseNet graph ({@code STAGE_block1 … STAGE_blockL}, each {@code _0_bn →
 * _0_relu → _1_conv → _1_bn → _1_relu → _2_conv → _concat}) trained in oneDNN's blocked layout over one preallocated
 * concatenation buffer: forward with batch-statistics BatchNorm and the ReLU fused, backward to the block's input and
 * to every parameter, primitives created once for one input shape. The second piece of the training engine (issue 13);
 * the trainer does not use it yet.
 *
 * <p>Hand-written for the reasons {@link FrozenBaseEngine} gives. Memory follows the memory-efficient DenseNet
 * (Pleiss et al. 2017): the block keeps one buffer of its final width (n × cb × h × w) that each layer appends its
 * {@code growth} channels into, and one gradient buffer of the same width into which every layer's input gradient is
 * added over the channels it read. The first BatchNorm+ReLU of each layer (the part that grows with depth) is not kept:
 * its input is gathered again from the block buffer and the BN forward is run again in backward. Per layer only the
 * bottleneck's activations (the 1×1 convolution's output and its BN+ReLU output, n × bottleneck × h × w each), the BN
 * statistics and the second BN's ReLU mask are kept. Shared by all layers: two scratch buffers of the last layer's
 * input width (the gathered input; its BN+ReLU, reused in backward for its gradient and the input's gradient), that
 * BN's ReLU mask (a byte per element), and the bottleneck- and growth-wide gradients.
 *
 * <p>Copies (why and where): oneDNN 2.5's batch-statistics BatchNorm needs its n × c input dense, and the first c
 * channels of all images are not one run in the n × cb buffer, so each layer's input is gathered per image (one
 * contiguous run of c·h·w floats per image) into a scratch buffer shared by all layers; the 3×3 convolution's
 * {@code growth} channels are written dense and copied into their slice per image (oneDNN 2.5 offers only its
 * reference kernel for a convolution writing into a channel slice, see docs/performance-per-op.md).
 *
 * <p>Parameters are read from the graph on every {@link #forward} (weights reordered from the graph's OIHW arrays once
 * per step; gamma and beta read in place). {@link #backward} writes the gradients into the graph's own gradient view
 * ({@code graph.initGradientsView()} first), in DL4J's layout: OIHW {@code W}, BN {@code gamma}, {@code beta}, and for
 * {@code mean} / {@code var} DL4J's running-statistics step (running − batch)·(1 − decay), batch variance biased.
 * Not thread-safe.
 */
public final class DenseBlockTraining {

    private final String stage;
    private final int layers;
    private final Dnnl dnnl = new Dnnl();
    private final long n;
    private final int c0;
    private final int cb;
    private final long hw;
    private final long[] inDims;
    private final long[] outDims;
    private final Dnnl.Mem inPlain;
    private final Dnnl.Mem outPlain;
    private final Dnnl.Mem gradOutPlain;
    private final Dnnl.Mem gradInPlain;
    private final List<Runnable> fwd = new ArrayList<>();
    private final List<Runnable> bwd = new ArrayList<>();
    private final List<Runnable> beforeForward = new ArrayList<>();
    private final List<Runnable> beforeBackward = new ArrayList<>();
    private final List<BnStats> stats = new ArrayList<>();
    private final List<INDArray> alive = new ArrayList<>();
    private ComputationGraph current;

    /** A training BatchNorm's batch statistics, written by its forward pass. */
    private record BnStats(String layer, Dnnl.Mem mean, Dnnl.Mem var, long channels) {
    }

    /**
     * Compiles dense block {@code stage} (e.g. "conv5") of {@code layers} dense layers for block inputs of
     * {@code n × c0 × h × w}, with the given bottleneck and growth widths and BatchNorm epsilon.
     */
    public DenseBlockTraining(String stage, int layers, long n, int c0, long h, long w, int bottleneck, int growth,
                              double eps) {
        this.stage = stage;
        this.layers = layers;
        this.n = n;
        this.c0 = c0;
        this.cb = c0 + layers * growth;
        this.hw = h * w;
        int tag = dnnl.activationTag();
        int block = tag == dnnl_nChw16c ? 16 : tag == dnnl_nChw8c ? 8 : 1;
        if (c0 % block != 0 || growth % block != 0 || bottleneck % block != 0) {
            dnnl.close();
            throw new IllegalArgumentException("widths " + c0 + "/" + growth + "/" + bottleneck
                    + " are not multiples of oneDNN's channel block " + block + " on this CPU");
        }
        inDims = new long[] {n, c0, h, w};
        outDims = new long[] {n, cb, h, w};
        inPlain = dnnl.memory(dnnl.md(dnnl_nchw, inDims));
        outPlain = dnnl.memory(dnnl.md(dnnl_nchw, outDims));
        gradOutPlain = dnnl.memory(dnnl.md(dnnl_nchw, outDims));
        gradInPlain = dnnl.memory(dnnl.md(dnnl_nchw, inDims));

        Dnnl.Mem buffer = dnnl.memory(dnnl.md(tag, outDims)); // the block's concatenation
        Dnnl.Mem grad = dnnl.memory(dnnl.md(tag, outDims)); // its gradient, all layers' input gradients added in
        long widest = (long) cb - growth; // the last layer's input width
        Dnnl.Mem gathered = dnnl.memory(dnnl.md(dnnl_a, n * widest * hw)); // a layer's input, dense
        // its BN+ReLU (recomputed in backward), then in backward its gradient and the input's gradient: the 1×1
        // convolution's weight gradient reads it before its data gradient overwrites it, and the BN backward runs
        // in place (diff_src = diff_dst, which oneDNN allows)
        Dnnl.Mem normed = dnnl.memory(dnnl.md(dnnl_a, n * widest * hw));
        Dnnl.Mem ws0 = dnnl.memory(dnnl.md(dnnl_a, n * widest * hw / 4 + 1)); // the fused ReLU's mask, a byte each
        long[] midDims = {n, bottleneck, h, w};
        long[] growDims = {n, growth, h, w};
        Dnnl.Mem diffMid = dnnl.memory(dnnl.md(tag, midDims));
        Dnnl.Mem diffBn1 = dnnl.memory(dnnl.md(tag, midDims));
        Dnnl.Mem grown = dnnl.memory(dnnl.md(tag, growDims));
        Dnnl.Mem diffGrown = dnnl.memory(dnnl.md(tag, growDims));

        // block edges: the input reordered into blocked layout, then into channels [0, c0) of the buffer
        Dnnl.Mem inBlocked = dnnl.memory(dnnl.md(tag, inDims));
        Dnnl.Exec inReorder = dnnl.reorder(inPlain, inBlocked);
        fwd.add(inReorder::run);
        fwd.add(sliceCopy(inBlocked.data().address(), c0, buffer.data().address(), 0, true));

        List<List<Runnable>> layerBwd = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String name = stage + "_block" + (l + 1);
            int c = c0 + l * growth;
            long[] cDims = {n, c, h, w};
            dnnl_memory_desc_t cMd = dnnl.md(tag, cDims);
            Dnnl.Mem x = dnnl.wrap(cMd, gathered.data());
            Dnnl.Mem y = dnnl.wrap(cMd, normed.data());
            Dnnl.Mem dy = y;
            Dnnl.Mem dx = y;
            Runnable gather = sliceCopy(gathered.data().address(), c, buffer.data().address(), 0, false);
            Bn bn0 = new Bn(name + "_0_bn", x, y, dy, dx, ws0, (float) eps);
            Dnnl.Mem mid = dnnl.memory(dnnl.md(tag, midDims)); // kept per layer
            Conv conv1 = new Conv(name + "_1_conv", y, dy, mid, diffMid, 1, 0);
            Dnnl.Mem bn1Out = dnnl.memory(dnnl.md(tag, midDims)); // kept per layer
            Bn bn1 = new Bn(name + "_1_bn", mid, bn1Out, diffBn1, diffMid, null, (float) eps);
            Conv conv2 = new Conv(name + "_2_conv", bn1Out, diffBn1, grown, diffGrown, 3, 1);
            fwd.add(gather);
            fwd.add(bn0.forward::run);
            fwd.add(conv1.forward::run);
            fwd.add(bn1.forward::run);
            fwd.add(conv2.forward::run);
            fwd.add(sliceCopy(grown.data().address(), growth, buffer.data().address(), c, true));

            List<Runnable> b = new ArrayList<>();
            b.add(sliceCopy(diffGrown.data().address(), growth, grad.data().address(), c, false));
            b.addAll(conv2.backward);
            b.addAll(bn1.backward);
            b.add(gather); // recompute the layer's input and its BN+ReLU instead of keeping them
            b.add(bn0.forward::run);
            b.addAll(conv1.backward);
            b.addAll(bn0.backward);
            b.addAll(addInto(tag, c, h, w, normed, grad));
            layerBwd.add(b);
        }
        Dnnl.Exec outReorder = dnnl.reorder(buffer, outPlain);
        fwd.add(outReorder::run);

        Dnnl.Exec gradReorder = dnnl.reorder(gradOutPlain, grad);
        bwd.add(gradReorder::run);
        for (int l = layers - 1; l >= 0; l--) {
            bwd.addAll(layerBwd.get(l));
        }
        // the input gradient: channels [0, c0) of the gradient buffer
        Dnnl.Mem gradIn = dnnl.memory(dnnl.md(tag, inDims));
        bwd.add(sliceCopy(gradIn.data().address(), c0, grad.data().address(), 0, false));
        Dnnl.Exec gradInReorder = dnnl.reorder(gradIn, gradInPlain);
        bwd.add(gradInReorder::run);
    }

    /**
     * Per image, copies one contiguous run of {@code c} channels between a dense n × c blocked buffer at
     * {@code dense} and channels [from, from + c) of an n × cb blocked buffer at {@code wide}: into the wide buffer if
     * {@code intoWide}, else out of it. {@code from} and {@code c} are multiples of the channel block, so each image's
     * run is contiguous in both.
     */
    private Runnable sliceCopy(long dense, long c, long wide, long from, boolean intoWide) {
        long run = c * hw * 4;
        return () -> {
            for (long i = 0; i < n; i++) {
                long d = dense + i * c * hw * 4;
                long wd = wide + (i * cb + from) * hw * 4;
                if (intoWide) {
                    Dnnl.copy(d, wd, run);
                } else {
                    Dnnl.copy(wd, d, run);
                }
            }
        };
    }

    /** Adds the dense n × c gradient {@code part} into channels [0, c) of the n × cb gradient buffer, per image. */
    private List<Runnable> addInto(int tag, int c, long h, long w, Dnnl.Mem part, Dnnl.Mem grad) {
        dnnl_memory_desc_t one = dnnl.md(tag, 1, c, h, w);
        dnnl_binary_desc_t bd = new dnnl_binary_desc_t();
        Dnnl.check(dnnl_binary_desc_init(bd, dnnl_binary_add, one, one, one), "dnnl_binary_desc_init");
        dnnl_primitive_desc pd = dnnl.pd(bd, null, "binary add");
        List<Runnable> r = new ArrayList<>();
        Dnnl.Exec first = null;
        for (long i = 0; i < n; i++) {
            Dnnl.Mem g = dnnl.wrapAt(one, grad.data().address() + i * cb * hw * 4);
            Dnnl.Mem p = dnnl.wrapAt(one, part.data().address() + i * c * hw * 4);
            Object[] args = {DNNL_ARG_SRC_0, g, DNNL_ARG_SRC_1, p, DNNL_ARG_DST, g};
            Dnnl.Exec e = first == null ? dnnl.exec(pd, args) : dnnl.rebind(first, args);
            if (first == null) {
                first = e;
            }
            r.add(e::run);
        }
        return r;
    }

    /** The block's output, its concatenation (NCHW, n × cb × h × w), for block input {@code x} (NCHW, n × c0 × h × w). */
    public INDArray forward(ComputationGraph graph, INDArray x) {
        current = graph;
        alive.clear();
        for (Runnable r : beforeForward) {
            r.run();
        }
        Dnnl.copy(address(x, length(inDims)), inPlain.data().address(), length(inDims) * 4);
        for (Runnable r : fwd) {
            r.run();
        }
        dnnl.sync();
        return copyOut(outPlain, outDims);
    }

    /**
     * Backward for the gradient {@code gradOut} (NCHW, n × cb × h × w) of the last {@link #forward}'s output: writes
     * every parameter's gradient into the graph's gradient view and returns the gradient of the block's input.
     */
    public INDArray backward(INDArray gradOut) {
        if (current == null) {
            throw new IllegalStateException("backward before forward");
        }
        if (current.getGradientsViewArray() == null) {
            throw new IllegalStateException("the graph has no gradient view: call initGradientsView() first");
        }
        for (Runnable r : beforeBackward) {
            r.run();
        }
        Dnnl.copy(address(gradOut, length(outDims)), gradOutPlain.data().address(), length(outDims) * 4);
        for (Runnable r : bwd) {
            r.run();
        }
        dnnl.sync();
        // DL4J's running-statistics "gradient": the step the updater subtracts from the running mean and variance
        for (BnStats s : stats) {
            Layer l = current.getLayer(s.layer());
            double decay = ((BatchNormalization) l.conf().getLayer()).getDecay();
            Map<String, INDArray> g = gradientViews(s.layer());
            long[] shape = {s.channels()};
            INDArray meanStep = l.getParam("mean").reshape(shape).sub(copyOut(s.mean(), shape)).muli(1 - decay);
            INDArray varStep = l.getParam("var").reshape(shape).sub(copyOut(s.var(), shape)).muli(1 - decay);
            g.get("mean").assign(meanStep.reshape(g.get("mean").shape()));
            g.get("var").assign(varStep.reshape(g.get("var").shape()));
        }
        return copyOut(gradInPlain, inDims);
    }

    /** Frees the native buffers and primitives now. */
    public void close() {
        dnnl.close();
    }

    /** The block's stage name, e.g. conv5. */
    public String stage() {
        return stage;
    }

    /** Channels of the block's output (its input's plus growth per layer). */
    public int outputChannels() {
        return cb;
    }

    /** Bytes of the block's concatenation buffer (one; its gradient buffer is as large). */
    public long bufferBytes() {
        return length(outDims) * 4;
    }

    private Map<String, INDArray> gradientViews(String layer) {
        Layer l = current.getLayer(layer);
        return l.conf().getLayer().initializer().getGradientsFromFlattened(l.conf(), l.getGradientsViewArray());
    }

    private static long length(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    private static INDArray copyOut(Dnnl.Mem m, long[] shape) {
        INDArray r = Nd4j.createUninitializedDetached(DataType.FLOAT, shape);
        Dnnl.copy(m.data().address(), r.data().addressPointer().address(), r.length() * 4);
        return r;
    }

    private static boolean contiguousFloat(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            return false;
        }
        if (a.isVector() || a.isScalar()) { // a BN parameter's [1, c] view is 'f'-ordered in DL4J's flat arrays
            return a.elementWiseStride() == 1;
        }
        return a.ordering() == 'c' && (a.elementWiseStride() == 1 || Shape.hasDefaultStridesForShape(a));
    }

    /** {@code a}'s first element's address, through a C-ordered float copy (kept until the next forward) if needed. */
    private long address(INDArray a, long elements) {
        if (a.length() != elements) {
            throw new IllegalArgumentException("array of " + a.length() + " elements where " + elements + " expected");
        }
        if (!contiguousFloat(a)) {
            a = a.castTo(DataType.FLOAT).dup('c');
            alive.add(a);
        }
        return a.data().addressPointer().address();
    }

    private long param(String layer, String key, long elements) {
        return address(current.getLayer(layer).getParam(key), elements);
    }

    /** The address of the graph's gradient view of {@code layer}'s {@code key}, which the engine writes in place. */
    private long gradient(String layer, String key, long elements) {
        INDArray g = gradientViews(layer).get(key);
        if (g == null || g.length() != elements || !contiguousFloat(g)) {
            throw new IllegalStateException(layer + ": gradient view of " + key + " is not a contiguous float array of "
                    + elements + " elements");
        }
        return g.data().addressPointer().address();
    }

    /**
     * Training-mode BatchNorm with the ReLU fused, {@code src} → {@code dst}, backward {@code diffDst} →
     * {@code diffSrc}; its ReLU mask in {@code sharedWs} (recomputed with the forward) or a workspace of its own.
     */
    private final class Bn {
        final Dnnl.Exec forward;
        final List<Runnable> backward = new ArrayList<>();

        Bn(String layer, Dnnl.Mem src, Dnnl.Mem dst, Dnnl.Mem diffDst, Dnnl.Mem diffSrc, Dnnl.Mem sharedWs,
           float eps) {
            int flags = dnnl_use_scale | dnnl_use_shift | dnnl_fuse_norm_relu;
            dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
            Dnnl.check(dnnl_batch_normalization_forward_desc_init(fd, dnnl_forward_training, src.md(), eps, flags),
                    "dnnl_batch_normalization_forward_desc_init");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "batch normalization forward training");
            dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
            Dnnl.check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, src.md(), src.md(), eps, flags),
                    "dnnl_batch_normalization_backward_desc_init");
            dnnl_primitive_desc bpd = dnnl.pd(bd, fpd, "batch normalization backward");
            long c = src.md().dims().get(1);
            dnnl_memory_desc_t cmd = dnnl.md(dnnl_a, c);
            long placeholder = inPlain.data().address();
            Dnnl.Mem gamma = dnnl.wrapAt(cmd, placeholder);
            Dnnl.Mem beta = dnnl.wrapAt(cmd, placeholder);
            beforeForward.add(() -> {
                Dnnl.point(gamma, param(layer, "gamma", c));
                Dnnl.point(beta, param(layer, "beta", c));
            });
            Dnnl.Mem mean = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_MEAN));
            Dnnl.Mem var = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_VARIANCE));
            stats.add(new BnStats(layer, mean, var, c));
            dnnl_memory_desc_t wsMd = Dnnl.argMd(fpd, DNNL_ARG_WORKSPACE);
            Dnnl.Mem ws;
            if (sharedWs == null) {
                ws = dnnl.memory(wsMd);
            } else {
                if (dnnl_memory_desc_get_size(wsMd) > dnnl_memory_desc_get_size(sharedWs.md())) {
                    throw new IllegalStateException(layer + ": oneDNN's ReLU mask is larger than the shared buffer");
                }
                ws = dnnl.wrap(wsMd, sharedWs.data());
            }
            forward = dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta, DNNL_ARG_MEAN,
                    mean, DNNL_ARG_VARIANCE, var, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DST, dst);
            Dnnl.Mem diffGamma = dnnl.wrapAt(cmd, placeholder);
            Dnnl.Mem diffBeta = dnnl.wrapAt(cmd, placeholder);
            for (int arg : new int[] {DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT}) {
                if (!Dnnl.same(Dnnl.argMd(bpd, arg), cmd)) {
                    throw new IllegalStateException(layer + ": oneDNN wants another layout for gamma/beta gradients");
                }
            }
            beforeBackward.add(() -> {
                Dnnl.point(diffGamma, gradient(layer, "gamma", c)); // written straight into the graph's view
                Dnnl.point(diffBeta, gradient(layer, "beta", c));
            });
            Dnnl.Exec b = dnnl.exec(bpd, DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, var,
                    DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta, DNNL_ARG_WORKSPACE, ws,
                    DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_DIFF_SCALE, diffGamma, DNNL_ARG_DIFF_SHIFT, diffBeta);
            backward.add(b::run);
        }
    }

    /** Stride-1 convolution without bias: forward, backward data into {@code diffSrc}, backward weights. */
    private final class Conv {
        final Dnnl.Exec forward;
        final List<Runnable> backward = new ArrayList<>();

        Conv(String layer, Dnnl.Mem src, Dnnl.Mem diffSrc, Dnnl.Mem dst, Dnnl.Mem diffDst, int k, int pad) {
            long[] wDims = {dst.md().dims().get(1), src.md().dims().get(1), k, k};
            dnnl_memory_desc_t wAny = dnnl.md(dnnl_format_tag_any, wDims);
            LongPointer strides = new LongPointer(1L, 1L);
            LongPointer padding = new LongPointer((long) pad, (long) pad);
            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, src.md(),
                    wAny, null, dst.md(), strides, padding, padding), "dnnl_convolution_forward_desc_init");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "convolution forward training");
            dnnl_convolution_desc_t dd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_backward_data_desc_init(dd, dnnl_convolution_direct, src.md(), wAny, dst.md(),
                    strides, padding, padding), "dnnl_convolution_backward_data_desc_init");
            dnnl_primitive_desc dpd = dnnl.pd(dd, fpd, "convolution backward data");
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, src.md(), wAny, null,
                    dst.md(), strides, padding, padding), "dnnl_convolution_backward_weights_desc_init");
            dnnl_primitive_desc wpd = dnnl.pd(wd, fpd, "convolution backward weights");
            for (int arg : new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}) {
                if (!Dnnl.same(Dnnl.argMd(fpd, arg), (arg == DNNL_ARG_SRC ? src : dst).md())) {
                    throw new IllegalStateException(layer + ": oneDNN wants another activation layout");
                }
            }
            long elements = length(wDims);
            long placeholder = inPlain.data().address();
            Dnnl.Mem plain = dnnl.wrapAt(dnnl.md(dnnl_oihw, wDims), placeholder);
            Dnnl.Mem wFwd = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_WEIGHTS));
            Dnnl.Exec toFwd = dnnl.reorder(plain, wFwd);
            dnnl_memory_desc_t bwdLayout = Dnnl.argMd(dpd, DNNL_ARG_WEIGHTS);
            Dnnl.Mem wBwd = Dnnl.same(bwdLayout, wFwd.md()) ? wFwd : dnnl.memory(bwdLayout);
            Dnnl.Exec toBwd = wBwd == wFwd ? null : dnnl.reorder(plain, wBwd);
            beforeForward.add(() -> {
                Dnnl.point(plain, param(layer, "W", elements));
                toFwd.run();
                if (toBwd != null) {
                    toBwd.run(); // the weights reordered once per step, for each layout a primitive wants
                }
            });
            forward = dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wFwd, DNNL_ARG_DST, dst);
            Dnnl.Exec data = dnnl.exec(dpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, wBwd,
                    DNNL_ARG_DIFF_SRC, diffSrc);
            Dnnl.Mem diffW = dnnl.memory(Dnnl.argMd(wpd, DNNL_ARG_DIFF_WEIGHTS));
            Dnnl.Exec weights = dnnl.exec(wpd, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst,
                    DNNL_ARG_DIFF_WEIGHTS, diffW);
            Dnnl.Mem diffWPlain = dnnl.wrapAt(dnnl.md(dnnl_oihw, wDims), placeholder);
            Dnnl.Exec toGraph = dnnl.reorder(diffW, diffWPlain);
            beforeBackward.add(() -> Dnnl.point(diffWPlain, gradient(layer, "W", elements)));
            backward.add(weights::run); // before data: the block's 1×1 convolution reuses src's buffer for diffSrc
            backward.add(data::run);
            backward.add(toGraph::run); // into the graph's gradient view, OIHW
        }
    }
}
