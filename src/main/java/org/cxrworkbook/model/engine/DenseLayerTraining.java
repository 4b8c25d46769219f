package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.LongPointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One dense layer of a Keras-named DenseNet graph ({@code NAME_0_bn → _0_relu → _1_conv → _1_bn → _1_relu →
 * _2_conv}) trained in oneDNN's blocked layout: the forward pass with batch-statistics BatchNorm and the ReLU fused,
 * the backward pass to the layer's input and its six parameters, all primitives created once for one input shape.
 * The first piece of the training engine (issue 13); the per-op bench times it ({@code perf/ops}); training steps run
 * whole blocks through {@link DenseBlockTraining}.
 *
 * <p>Hand-written for the reasons {@link FrozenBaseEngine} gives (DL4J's layer API hands oneDNN one NCHW layer at a
 * time). Parameters are read from the graph by name on every {@link #forward} (weights reordered from the graph's OIHW
 * arrays, BN gamma and beta read in place); gradients come back in the shapes and under the keys of DL4J's
 * {@code Gradient} keys them ({@code <layer>_W}, {@code <layer>_gamma}, {@code <layer>_beta}). Running statistics are
 * not updated here: {@link #batchMeans()} / {@link #batchVariances()} give the batch's (biased) statistics.
 */
public final class DenseLayerTraining {

    private final String name;
    private final Dnnl dnnl = new Dnnl();
    private final long[] inDims;
    private final long[] outDims;
    private final Dnnl.Mem srcPlain;
    private final Dnnl.Mem diffSrcPlain;
    private final Dnnl.Mem diffOutPlain;
    private final Dnnl.Mem outPlain;
    private final List<Dnnl.Exec> fwd = new ArrayList<>();
    private final List<Dnnl.Exec> bwd = new ArrayList<>();
    private final List<Runnable> beforeForward = new ArrayList<>();
    private final Map<String, Dnnl.Mem> gradients = new LinkedHashMap<>();
    private final Map<String, long[]> gradientShapes = new LinkedHashMap<>();
    private final Map<String, Dnnl.Mem> means = new LinkedHashMap<>();
    private final Map<String, Dnnl.Mem> variances = new LinkedHashMap<>();
    private Params current;
    private final List<INDArray> alive = new ArrayList<>();

    /**
     * Compiles dense layer {@code name} (e.g. "conv2_block3") for inputs of {@code n × c × h × w} with the given
     * bottleneck and growth widths and BatchNorm epsilon.
     */
    public DenseLayerTraining(String name, long n, int c, long h, long w, int bottleneck, int growth, double eps) {
        this.name = name;
        int tag = dnnl.activationTag();
        inDims = new long[] {n, c, h, w};
        outDims = new long[] {n, growth, h, w};
        srcPlain = dnnl.memory(dnnl.md(dnnl_nchw, inDims));
        diffSrcPlain = dnnl.memory(dnnl.md(dnnl_nchw, inDims));
        diffOutPlain = dnnl.memory(dnnl.md(dnnl_nchw, outDims));
        Dnnl.Mem src = dnnl.memory(dnnl.md(tag, inDims));
        fwd.add(dnnl.reorder(srcPlain, src));
        Dnnl.Mem diffSrc = dnnl.memory(src.md());

        Bn bn0 = new Bn(name + "_0_bn", src, diffSrc, (float) eps);
        long[] midDims = {n, bottleneck, h, w};
        Dnnl.Mem mid = dnnl.memory(dnnl.md(tag, midDims));
        Dnnl.Mem diffMid = dnnl.memory(mid.md());
        Conv conv1 = new Conv(name + "_1_conv", bn0.dst, bn0.diffDst, mid, diffMid, 1, 0);
        Bn bn1 = new Bn(name + "_1_bn", mid, diffMid, (float) eps);
        Dnnl.Mem out = dnnl.memory(dnnl.md(tag, outDims));
        Dnnl.Mem diffOut = dnnl.memory(out.md());
        Conv conv2 = new Conv(name + "_2_conv", bn1.dst, bn1.diffDst, out, diffOut, 3, 1);
        outPlain = dnnl.memory(dnnl.md(dnnl_nchw, outDims));
        fwd.addAll(bn0.fwd);
        fwd.addAll(conv1.fwd);
        fwd.addAll(bn1.fwd);
        fwd.addAll(conv2.fwd);
        fwd.add(dnnl.reorder(out, outPlain));
        bwd.add(dnnl.reorder(diffOutPlain, diffOut));
        bwd.addAll(conv2.bwd);
        bwd.addAll(bn1.bwd);
        bwd.addAll(conv1.bwd);
        bwd.addAll(bn0.bwd);
        bwd.add(dnnl.reorder(diffSrc, diffSrcPlain));
    }

    /** Where a forward pass reads a parameter: (layer name, DL4J parameter key such as W or gamma) → the array. */
    @FunctionalInterface
    public interface Params {
        INDArray get(String layer, String key);
    }

    /** The layer's output (NCHW, n × growth × h × w) for input {@code x} (NCHW float) with {@code graph}'s parameters. */
    public INDArray forward(ComputationGraph graph, INDArray x) {
        return forward((layer, key) -> graph.getLayer(layer).getParam(key), x);
    }

    /** The layer's output for input {@code x} with the parameters {@code params} gives for the six layers' names. */
    public INDArray forward(Params params, INDArray x) {
        current = params;
        alive.clear();
        for (Runnable r : beforeForward) {
            r.run();
        }
        Dnnl.copy(address(x, length(inDims)), srcPlain.data().address(), length(inDims) * 4);
        for (Dnnl.Exec e : fwd) {
            e.run();
        }
        dnnl.sync();
        return copyOut(outPlain, outDims);
    }

    /** Gradients for the output gradient {@code gradOut} (NCHW) of the last {@link #forward}: input and parameters. */
    public Gradients backward(INDArray gradOut) {
        if (current == null) {
            throw new IllegalStateException("backward before forward");
        }
        Dnnl.copy(address(gradOut, length(outDims)), diffOutPlain.data().address(), length(outDims) * 4);
        for (Dnnl.Exec e : bwd) {
            e.run();
        }
        dnnl.sync();
        Map<String, INDArray> params = new LinkedHashMap<>();
        gradients.forEach((k, m) -> params.put(k, copyOut(m, gradientShapes.get(k))));
        return new Gradients(copyOut(diffSrcPlain, inDims), params);
    }

    /** The input gradient and the parameter gradients keyed {@code <layer>_<param>}, in the graph's shapes. */
    public record Gradients(INDArray input, Map<String, INDArray> params) {
    }

    /** The last forward pass's batch means per BatchNorm layer ({@code NAME_0_bn}, {@code NAME_1_bn}). */
    public Map<String, INDArray> batchMeans() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        means.forEach((k, v) -> m.put(k, copyOut(v, new long[] {v.md().dims().get(0)})));
        return m;
    }

    /** The last forward pass's batch variances (biased: divided by n·h·w) per BatchNorm layer. */
    public Map<String, INDArray> batchVariances() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        variances.forEach((k, v) -> m.put(k, copyOut(v, new long[] {v.md().dims().get(0)})));
        return m;
    }

    /** Frees the native buffers and primitives now. */
    public void close() {
        dnnl.close();
    }

    /** The dense layer's name, the prefix of its six vertices (e.g. conv2_block3). */
    public String name() {
        return name;
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

    /** {@code a}'s first element's address, through a C-ordered float copy (kept until the next forward) if needed. */
    private long address(INDArray a, long elements) {
        if (a.length() != elements) {
            throw new IllegalArgumentException("array of " + a.length() + " elements where " + elements + " expected");
        }
        boolean contiguous = a.ordering() == 'c' && (a.elementWiseStride() == 1 || Shape.hasDefaultStridesForShape(a));
        if (a.dataType() != DataType.FLOAT || !contiguous) {
            a = a.castTo(DataType.FLOAT).dup('c');
            alive.add(a);
        }
        return a.data().addressPointer().address();
    }

    private long param(String layer, String key, long elements) {
        return address(current.get(layer, key), elements);
    }

    /** Training-mode BatchNorm with the ReLU fused: forward from {@code src}, backward into {@code diffSrc}. */
    private final class Bn {
        final List<Dnnl.Exec> fwd = new ArrayList<>();
        final List<Dnnl.Exec> bwd = new ArrayList<>();
        final Dnnl.Mem dst;
        final Dnnl.Mem diffDst;

        Bn(String layer, Dnnl.Mem src, Dnnl.Mem diffSrc, float eps) {
            dnnl_primitive_desc[] pds = dnnl.batchNormReluTraining(src.md(), eps);
            dnnl_primitive_desc fpd = pds[0];
            dnnl_primitive_desc bpd = pds[1];
            long c = src.md().dims().get(1);
            dnnl_memory_desc_t cmd = dnnl.md(dnnl_a, c);
            long placeholder = srcPlain.data().address();
            Dnnl.Mem gamma = dnnl.wrapAt(cmd, placeholder);
            Dnnl.Mem beta = dnnl.wrapAt(cmd, placeholder);
            beforeForward.add(() -> {
                Dnnl.point(gamma, param(layer, "gamma", c));
                Dnnl.point(beta, param(layer, "beta", c));
            });
            Dnnl.Mem mean = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_MEAN));
            Dnnl.Mem var = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_VARIANCE));
            means.put(layer, mean);
            variances.put(layer, var);
            Dnnl.Mem ws = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_WORKSPACE));
            dst = dnnl.memory(src.md());
            diffDst = dnnl.memory(src.md());
            fwd.add(dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta, DNNL_ARG_MEAN, mean,
                    DNNL_ARG_VARIANCE, var, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DST, dst));
            Dnnl.Mem diffGamma = dnnl.memory(Dnnl.argMd(bpd, DNNL_ARG_DIFF_SCALE));
            Dnnl.Mem diffBeta = dnnl.memory(Dnnl.argMd(bpd, DNNL_ARG_DIFF_SHIFT));
            bwd.add(dnnl.exec(bpd, DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, var,
                    DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta, DNNL_ARG_WORKSPACE, ws,
                    DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_DIFF_SCALE, diffGamma, DNNL_ARG_DIFF_SHIFT, diffBeta));
            gradients.put(layer + "_gamma", diffGamma);
            gradientShapes.put(layer + "_gamma", new long[] {c}); // DL4J gives BN gradients as vectors
            gradients.put(layer + "_beta", diffBeta);
            gradientShapes.put(layer + "_beta", new long[] {c});
        }
    }

    /** Stride-1 convolution without bias: forward, backward data into {@code diffSrc}, backward weights. */
    private final class Conv {
        final List<Dnnl.Exec> fwd = new ArrayList<>();
        final List<Dnnl.Exec> bwd = new ArrayList<>();

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
            long elements = length(wDims);
            Dnnl.Mem plain = dnnl.wrapAt(dnnl.md(dnnl_oihw, wDims), srcPlain.data().address());
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
            for (int arg : new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}) {
                dnnl_memory_desc_t want = Dnnl.argMd(fpd, arg);
                if (!Dnnl.same(want, (arg == DNNL_ARG_SRC ? src : dst).md())) {
                    throw new IllegalStateException(layer + ": oneDNN wants another activation layout");
                }
            }
            fwd.add(dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wFwd, DNNL_ARG_DST, dst));
            bwd.add(dnnl.exec(dpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, wBwd, DNNL_ARG_DIFF_SRC, diffSrc));
            Dnnl.Mem diffW = dnnl.memory(Dnnl.argMd(wpd, DNNL_ARG_DIFF_WEIGHTS));
            bwd.add(dnnl.exec(wpd, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_WEIGHTS, diffW));
            Dnnl.Mem diffWPlain = dnnl.memory(dnnl.md(dnnl_oihw, wDims));
            bwd.add(dnnl.reorder(diffW, diffWPlain));
            gradients.put(layer + "_W", diffWPlain);
            gradientShapes.put(layer + "_W", wDims);
        }
    }
}
