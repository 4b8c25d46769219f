package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
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
 * A stretch of a Keras-named DenseNet graph (a dense block, the stem, a transition, the final BatchNorm) trained in
 * oneDNN's blocked layout: forward in training mode from an NCHW input to an NCHW output, backward from the output's
 * gradient to the input's, with every parameter's gradient written into the graph's own gradient view. Primitives are
 * created once for one input shape; parameters are read from the graph on every {@link #forward}.
 *
 * <p>Shared by {@link DenseBlockTraining} and {@link ChainTraining}: the edges (NCHW buffers), the training
 * BatchNorm with its ReLU fused, convolutions without bias, pooling, and DL4J's running-statistics "gradient".
 * Hand-written for the reasons {@link FrozenBaseEngine} gives. Not thread-safe.
 */
abstract class TrainingSegment {

    final Dnnl dnnl = new Dnnl();
    /** oneDNN's blocked activation layout on this CPU (nChw8c with AVX2). */
    final int tag;
    final long[] inDims;
    final long[] outDims;
    final Dnnl.Mem inPlain;
    final Dnnl.Mem outPlain;
    final Dnnl.Mem gradOutPlain;
    final Dnnl.Mem gradInPlain;
    final List<Runnable> fwd = new ArrayList<>();
    final List<Runnable> bwd = new ArrayList<>();
    final List<Runnable> beforeForward = new ArrayList<>();
    final List<Runnable> beforeBackward = new ArrayList<>();
    /** The output and the input's gradient: the plain edge memories write straight into them (no copy). */
    private final INDArray out;
    private final INDArray gradIn;
    private final List<BnStats> stats = new ArrayList<>();
    private final List<INDArray> alive = new ArrayList<>();
    private ComputationGraph current;
    private boolean nonFinite;
    /** Addresses of the gradient views of {@link #addressesOf}, the graph's flattened gradients they were read from. */
    private final Map<String, Long> gradientAddresses = new java.util.HashMap<>();
    private INDArray addressesOf;

    /** A training BatchNorm's batch statistics, written by its forward pass. */
    private record BnStats(String layer, Dnnl.Mem mean, Dnnl.Mem var, long channels) {
    }

    TrainingSegment(long[] inDims, long[] outDims) {
        this.tag = dnnl.activationTag();
        this.inDims = inDims.clone();
        this.outDims = outDims.clone();
        out = Nd4j.createUninitializedDetached(DataType.FLOAT, outDims);
        gradIn = Nd4j.createUninitializedDetached(DataType.FLOAT, inDims);
        // the edges: input and output gradient are pointed at the caller's arrays on every call, output and input
        // gradient live in this segment's own arrays, so one segment's output is the next one's input without a copy
        inPlain = dnnl.wrapAt(dnnl.md(dnnl_nchw, inDims), gradIn.data().addressPointer().address());
        outPlain = dnnl.wrapAt(dnnl.md(dnnl_nchw, outDims), out.data().addressPointer().address());
        gradOutPlain = dnnl.wrapAt(dnnl.md(dnnl_nchw, outDims), out.data().addressPointer().address());
        gradInPlain = dnnl.wrapAt(dnnl.md(dnnl_nchw, inDims), gradIn.data().addressPointer().address());
    }

    /** Channels per block of {@link #tag} (8 or 16), 1 for a plain layout. */
    int channelBlock() {
        return tag == dnnl_nChw16c ? 16 : tag == dnnl_nChw8c ? 8 : 1;
    }

    /** An address to create a memory at before it is pointed at the graph's arrays. */
    long placeholder() {
        return gradIn.data().addressPointer().address();
    }

    /**
     * The segment's output (NCHW) for input {@code x} (NCHW), training mode, parameters read from {@code graph}. The
     * returned array is the segment's own and is overwritten by the next call; {@code x} must stay unchanged until
     * {@link #backward} (the stem's convolution reads the images again for its weight gradient).
     */
    public INDArray forward(ComputationGraph graph, INDArray x) {
        current = graph;
        alive.clear();
        for (Runnable r : beforeForward) {
            r.run();
        }
        Dnnl.point(inPlain, address(x, length(inDims)));
        for (Runnable r : fwd) {
            r.run();
        }
        dnnl.sync();
        return out;
    }

    /**
     * Backward for the gradient {@code gradOut} (NCHW) of the last {@link #forward}'s output: writes every parameter's
     * gradient into the graph's gradient view and returns the gradient of the segment's input (null for a segment
     * that does not compute it), the segment's own array, overwritten by the next call.
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
        Dnnl.point(gradOutPlain, address(gradOut, length(outDims)));
        for (Runnable r : bwd) {
            r.run();
        }
        dnnl.sync();
        // DL4J's running-statistics "gradient": the step the updater subtracts from the running mean and variance,
        // (running − batch)·(1 − decay), computed here over plain buffers (two ND4J ops per statistic per BatchNorm
        // cost more than the arithmetic: 120 BatchNorms in DenseNet121)
        nonFinite = false;
        for (BnStats s : stats) {
            Layer l = current.getLayer(s.layer());
            float keep = (float) (1 - ((BatchNormalization) l.conf().getLayer()).getDecay());
            int c = (int) s.channels();
            for (String key : new String[] {"mean", "var"}) {
                FloatBuffer running = Dnnl.floats(param(s.layer(), key, c), c);
                FloatBuffer batch = Dnnl.floats((key.equals("mean") ? s.mean() : s.var()).data().address(), c);
                FloatBuffer step = Dnnl.floats(gradient(s.layer(), key, c), c);
                for (int i = 0; i < c; i++) {
                    float b = batch.get(i);
                    nonFinite |= !Float.isFinite(b);
                    step.put(i, (running.get(i) - b) * keep);
                }
            }
        }
        return computesInputGradient() ? gradIn : null;
    }

    /**
     * Whether a BatchNorm of the last step saw a NaN or infinity (its batch mean or variance is not finite). oneDNN's
     * fused ReLU turns NaN into 0, so the loss can stay finite while the statistics and gradients are not: the
     * caller must report the step as diverged.
     */
    boolean sawNonFinite() {
        return nonFinite;
    }

    /** Whether {@link #backward} returns the input's gradient (the stem's input, the images, has none). */
    boolean computesInputGradient() {
        return true;
    }

    /** Frees the native buffers and primitives now. */
    public void close() {
        dnnl.close();
    }

    /** The output shape (NCHW). */
    long[] outputShape() {
        return outDims.clone();
    }

    private Map<String, INDArray> gradientViews(String layer) {
        Layer l = current.getLayer(layer);
        return l.conf().getLayer().initializer().getGradientsFromFlattened(l.conf(), l.getGradientsViewArray());
    }

    static long length(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    static INDArray copyOut(Dnnl.Mem m, long[] shape) {
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
    long address(INDArray a, long elements) {
        if (a.length() != elements) {
            throw new IllegalArgumentException("array of " + a.length() + " elements where " + elements + " expected");
        }
        if (!contiguousFloat(a)) {
            a = a.castTo(DataType.FLOAT).dup('c');
            alive.add(a);
        }
        return a.data().addressPointer().address();
    }

    long param(String layer, String key, long elements) {
        return address(current.getLayer(layer).getParam(key), elements);
    }

    /** The address of the graph's gradient view of {@code layer}'s {@code key}, which the engine writes in place. */
    long gradient(String layer, String key, long elements) {
        // views of the graph's flattened gradients are made once (ND4J makes each view natively: ~600 per step)
        INDArray all = current.getGradientsViewArray();
        if (all != addressesOf) {
            gradientAddresses.clear();
            addressesOf = all;
        }
        Long cached = gradientAddresses.get(layer + "\u0000" + key);
        if (cached != null) {
            return cached;
        }
        INDArray g = gradientViews(layer).get(key);
        if (g == null || g.length() != elements || !contiguousFloat(g)) {
            throw new IllegalStateException(layer + ": gradient view of " + key + " is not a contiguous float array of "
                    + elements + " elements");
        }
        long address = g.data().addressPointer().address();
        gradientAddresses.put(layer + "\u0000" + key, address);
        return address;
    }

    static long[] dims(dnnl_memory_desc_t md) {
        long[] d = new long[md.ndims()];
        for (int i = 0; i < d.length; i++) {
            d[i] = md.dims().get(i);
        }
        return d;
    }

    /**
     * Training-mode BatchNorm with the ReLU fused, {@code src} → {@code dst}, backward {@code diffDst} →
     * {@code diffSrc}; its ReLU mask in {@code sharedWs} (recomputed with the forward) or a workspace of its own.
     */
    final class Bn {
        final Dnnl.Exec forward;
        final List<Runnable> backward = new ArrayList<>();

        Bn(String layer, Dnnl.Mem src, Dnnl.Mem dst, Dnnl.Mem diffDst, Dnnl.Mem diffSrc, Dnnl.Mem sharedWs,
           float eps) {
            dnnl_primitive_desc[] pds = dnnl.batchNormReluTraining(src.md(), eps);
            dnnl_primitive_desc fpd = pds[0];
            dnnl_primitive_desc bpd = pds[1];
            long c = src.md().dims().get(1);
            dnnl_memory_desc_t cmd = dnnl.md(dnnl_a, c);
            Dnnl.Mem gamma = dnnl.wrapAt(cmd, placeholder());
            Dnnl.Mem beta = dnnl.wrapAt(cmd, placeholder());
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
            Dnnl.Mem diffGamma = dnnl.wrapAt(cmd, placeholder());
            Dnnl.Mem diffBeta = dnnl.wrapAt(cmd, placeholder());
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

    /**
     * Convolution without bias, {@code k}×{@code k}, stride {@code stride}, padding {@code pad} on the top/left (the
     * bottom/right padding chosen so that the output has {@code dst}'s size, DL4J's floor rule): forward, backward
     * weights and, unless {@code diffSrc} is null, backward data into {@code diffSrc}.
     */
    final class Conv {
        final Dnnl.Exec forward;
        final List<Runnable> backward = new ArrayList<>();

        Conv(String layer, Dnnl.Mem src, Dnnl.Mem diffSrc, Dnnl.Mem dst, Dnnl.Mem diffDst, int k, int stride,
             int pad) {
            long[] sd = dims(src.md());
            long[] dd = dims(dst.md());
            long[] wDims = {dd[1], sd[1], k, k};
            dnnl_memory_desc_t wAny = dnnl.md(dnnl_format_tag_any, wDims);
            LongPointer strides = new LongPointer((long) stride, stride);
            LongPointer padL = new LongPointer((long) pad, pad);
            LongPointer padR = new LongPointer((dd[2] - 1) * stride + k - sd[2] - pad,
                    (dd[3] - 1) * stride + k - sd[3] - pad);
            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, src.md(),
                    wAny, null, dst.md(), strides, padL, padR), "dnnl_convolution_forward_desc_init(" + layer + ")");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "convolution forward training");
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, src.md(), wAny, null,
                    dst.md(), strides, padL, padR), "dnnl_convolution_backward_weights_desc_init(" + layer + ")");
            dnnl_primitive_desc wpd = dnnl.pd(wd, fpd, "convolution backward weights");
            for (int arg : new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}) {
                if (!Dnnl.same(Dnnl.argMd(fpd, arg), (arg == DNNL_ARG_SRC ? src : dst).md())) {
                    throw new IllegalStateException(layer + ": oneDNN wants another activation layout");
                }
            }
            long elements = length(wDims);
            Dnnl.Mem plain = dnnl.wrapAt(dnnl.md(dnnl_oihw, wDims), placeholder());
            Dnnl.Mem wFwd = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_WEIGHTS));
            Dnnl.Exec toFwd = dnnl.reorder(plain, wFwd);
            Dnnl.Exec data = null;
            Dnnl.Exec toBwd = null;
            if (diffSrc != null) {
                dnnl_convolution_desc_t dd2 = new dnnl_convolution_desc_t();
                Dnnl.check(dnnl_convolution_backward_data_desc_init(dd2, dnnl_convolution_direct, src.md(), wAny,
                        dst.md(), strides, padL, padR), "dnnl_convolution_backward_data_desc_init(" + layer + ")");
                dnnl_primitive_desc dpd = dnnl.pd(dd2, fpd, "convolution backward data");
                dnnl_memory_desc_t bwdLayout = Dnnl.argMd(dpd, DNNL_ARG_WEIGHTS);
                Dnnl.Mem wBwd = Dnnl.same(bwdLayout, wFwd.md()) ? wFwd : dnnl.memory(bwdLayout);
                toBwd = wBwd == wFwd ? null : dnnl.reorder(plain, wBwd);
                data = dnnl.exec(dpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, wBwd, DNNL_ARG_DIFF_SRC, diffSrc);
            }
            Dnnl.Exec reorderBwd = toBwd;
            beforeForward.add(() -> {
                Dnnl.point(plain, param(layer, "W", elements));
                toFwd.run();
                if (reorderBwd != null) {
                    reorderBwd.run(); // the weights reordered once per step, for each layout a primitive wants
                }
            });
            forward = dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wFwd, DNNL_ARG_DST, dst);
            Dnnl.Mem diffW = dnnl.memory(Dnnl.argMd(wpd, DNNL_ARG_DIFF_WEIGHTS));
            Dnnl.Exec weights = dnnl.exec(wpd, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst,
                    DNNL_ARG_DIFF_WEIGHTS, diffW);
            Dnnl.Mem diffWPlain = dnnl.wrapAt(dnnl.md(dnnl_oihw, wDims), placeholder());
            Dnnl.Exec toGraph = dnnl.reorder(diffW, diffWPlain);
            beforeBackward.add(() -> Dnnl.point(diffWPlain, gradient(layer, "W", elements)));
            backward.add(weights::run); // before data: the dense block's 1×1 convolution reuses src's buffer for diffSrc
            if (data != null) {
                backward.add(data::run);
            }
            backward.add(toGraph::run); // into the graph's gradient view, OIHW
        }
    }

    /**
     * Max or average pooling ({@code alg}), {@code k}×{@code k}, stride {@code stride}, top/left padding {@code pad}
     * (bottom/right as DL4J's floor rule needs): forward training (max keeps its argmax workspace) and backward.
     */
    final class Pool {
        final Dnnl.Exec forward;
        final Dnnl.Exec backward;

        Pool(String layer, Dnnl.Mem src, Dnnl.Mem diffSrc, Dnnl.Mem dst, Dnnl.Mem diffDst, int alg, int k,
             int stride, int pad) {
            long[] sd = dims(src.md());
            long[] dd = dims(dst.md());
            LongPointer strides = new LongPointer((long) stride, stride);
            LongPointer kernel = new LongPointer((long) k, k);
            LongPointer padL = new LongPointer((long) pad, pad);
            LongPointer padR = new LongPointer((dd[2] - 1) * stride + k - sd[2] - pad,
                    (dd[3] - 1) * stride + k - sd[3] - pad);
            dnnl_pooling_desc_t fd = new dnnl_pooling_desc_t();
            Dnnl.check(dnnl_pooling_forward_desc_init(fd, dnnl_forward_training, alg, src.md(), dst.md(), strides,
                    kernel, padL, padR), "dnnl_pooling_forward_desc_init(" + layer + ")");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "pooling forward training");
            dnnl_pooling_desc_t bd = new dnnl_pooling_desc_t();
            Dnnl.check(dnnl_pooling_backward_desc_init(bd, alg, diffSrc.md(), diffDst.md(), strides, kernel, padL,
                    padR), "dnnl_pooling_backward_desc_init(" + layer + ")");
            dnnl_primitive_desc bpd = dnnl.pd(bd, fpd, "pooling backward");
            dnnl_memory_desc_t wsMd = Dnnl.argMd(fpd, DNNL_ARG_WORKSPACE);
            if (wsMd != null) {
                Dnnl.Mem ws = dnnl.memory(wsMd);
                forward = dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_WORKSPACE, ws);
                backward = dnnl.exec(bpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DIFF_SRC,
                        diffSrc);
            } else {
                forward = dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
                backward = dnnl.exec(bpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc);
            }
        }
    }
}
