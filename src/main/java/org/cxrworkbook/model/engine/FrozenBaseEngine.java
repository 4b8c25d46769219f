package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.LongPointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * DenseNet's inference from the input up to a boundary vertex, compiled once into oneDNN primitives for one input
 * shape and run on the graph's own parameter arrays.
 *
 * <p>Hand-written because no dependency runs a DL4J graph this way: DL4J's oneDNN helpers see one layer at a time in
 * NCHW (reorders around every call, BN and ReLU as two layers, each concatenation a new copy) and SameDiff's DenseNet
 * was slower still (see docs/performance-per-op.md). Here:
 * <ul>
 *   <li>activations stay in oneDNN's blocked layout ({@link Dnnl#activationTag()}, nChw8c on AVX2) from the stem to
 *       the boundary and are reordered to NCHW once, at the end;</li>
 *   <li>every BatchNorm runs in inference mode on the graph's running mean and variance (global statistics), with
 *       the following ReLU fused ({@code dnnl_fuse_norm_relu});</li>
 *   <li>each dense block has one buffer of its final width; a layer's BN+ReLU reads the channels written so far
 *       in place, and its 3×3 convolution's 32 new channels go into their slice of that buffer (a block-aligned
 *       copy per image, or the convolution writes there itself when oneDNN's optimised kernel accepts the slice),
 *       so nothing is concatenated by copying the whole running input;</li>
 *   <li>the weights: the graph's OIHW arrays are wrapped without copying and reordered into the convolutions'
 *       layouts at the start of every {@link #run}; the BN statistics, gamma and beta are read in place. So a change
 *       to the graph's parameter values is seen by the next call (the graph stays the only copy of the model);
 *       the reorders cost a few ms per call.</li>
 * </ul>
 * Exactness notes: the stem's zero padding of 3 is the convolution's padding; the max-pool's zero padding of 1 is
 * oneDNN's max-pool padding (which never wins a max), the same result because its input follows a ReLU (≥ 0); the
 * 2×2 average pools have no padding; DL4J's inference BatchNorm is (x − mean) / √(var + eps) · gamma + beta, which is
 * oneDNN's with the global-stats flag. Not thread-safe: {@link FrozenBase} serialises calls.
 */
final class FrozenBaseEngine {

    final DenseNetTopology topo;
    final long[] inputShape;
    final long[] outputShape;
    private final Dnnl dnnl = new Dnnl();
    private final int tag;
    private final List<Runnable> steps = new ArrayList<>();
    private final List<Weights> weights = new ArrayList<>();
    private final List<BnParams> bnParams = new ArrayList<>();
    private final Dnnl.Mem input;
    private Dnnl.Mem output;
    /** Implementations oneDNN chose, for the log line and the tests (e.g. "jit:avx2", never "ref:any"). */
    final List<String> impls = new ArrayList<>();
    /** Whether the 3×3 convolutions write into their slice of the block buffer themselves (else a copy). */
    boolean convWritesSlice;
    private boolean closed;

    /** A convolution's weights: the graph's OIHW array wrapped in place, reordered into the primitive's layout. */
    private record Weights(String layer, Dnnl.Mem plain, Dnnl.Exec reorder, long elements) {
    }

    /** One BatchNorm's four per-channel arrays, read in place from the graph. */
    private record BnParams(String layer, Dnnl.Mem mean, Dnnl.Mem var, Dnnl.Mem gamma, Dnnl.Mem beta) {
    }

    FrozenBaseEngine(DenseNetTopology topo, long[] inputShape) throws DenseNetTopology.Unsupported {
        this.topo = topo;
        this.inputShape = inputShape.clone();
        tag = dnnl.activationTag();
        int blockSize = tag == dnnl_nChw16c ? 16 : tag == dnnl_nChw8c ? 8 : 1;
        if (blockSize == 1) {
            dnnl.close();
            throw new DenseNetTopology.Unsupported("oneDNN chose no blocked layout on this CPU");
        }
        for (int w : new int[] {topo.stemFilters(), topo.growth(), topo.bottleneck()}) {
            if (w % blockSize != 0) {
                dnnl.close();
                throw new DenseNetTopology.Unsupported("width " + w + " is not a multiple of oneDNN's channel block "
                        + blockSize + " on this CPU");
            }
        }
        for (int w : topo.transitions()) {
            if (w % blockSize != 0) {
                dnnl.close();
                throw new DenseNetTopology.Unsupported("transition width " + w + " is not a multiple of " + blockSize);
            }
        }
        long n = inputShape[0];
        long h = inputShape[2];
        long w = inputShape[3];
        input = dnnl.memory(dnnl.md(dnnl_nchw, inputShape));

        // stem: 7x7/2 convolution (the zero padding of 3 as its padding), BN+ReLU in place, 3x3/2 max-pool
        long h1 = (h + 6 - 7) / 2 + 1;
        long w1 = (w + 6 - 7) / 2 + 1;
        long[] stemDims = {n, topo.stemFilters(), h1, w1};
        Dnnl.Mem stem = dnnl.memory(dnnl.md(tag, stemDims));
        conv("conv1/conv", input, stem, 7, 2, 3);
        bn("conv1/bn", stem, stem, true);
        long h2 = (h1 + 2 - 3) / 2 + 1;
        long w2 = (w1 + 2 - 3) / 2 + 1;
        if (h2 < 1 || w2 < 1) {
            dnnl.close();
            throw new DenseNetTopology.Unsupported("input " + h + "x" + w + " is too small");
        }

        // scratch buffers shared by all blocks, sized for the widest use
        DenseNetTopology.Cut cut = topo.cut();
        int blocks = cut.block() + 1;
        long[] sides = new long[2 * blocks];
        long bh = h2;
        long bw = w2;
        long s0 = 0;
        long s1 = 0;
        long t = (long) topo.stemFilters() * bh * bw;
        for (int b = 0; b < blocks; b++) {
            sides[2 * b] = bh;
            sides[2 * b + 1] = bw;
            long hw = bh * bw;
            s0 = Math.max(s0, topo.blockChannels(b) * hw);
            s1 = Math.max(s1, (long) topo.bottleneck() * hw);
            t = Math.max(t, (long) topo.growth() * hw);
            if (b < blocks - 1) {
                s1 = Math.max(s1, (long) topo.transitions()[b] * hw);
                bh /= 2;
                bw /= 2;
                if (bh < 1 || bw < 1) {
                    dnnl.close();
                    throw new DenseNetTopology.Unsupported("input " + h + "x" + w + " is too small for "
                            + blocks + " blocks");
                }
                t = Math.max(t, (long) topo.transitions()[b] * bh * bw);
            }
        }
        Dnnl.Mem scratch0 = dnnl.memory(dnnl.md(dnnl_a, Math.max(1, n * s0)));
        Dnnl.Mem scratch1 = dnnl.memory(dnnl.md(dnnl_a, Math.max(1, n * s1)));
        Dnnl.Mem tmp = dnnl.memory(dnnl.md(dnnl_a, Math.max(1, n * t)));

        Dnnl.Mem pooled = dnnl.wrap(dnnl.md(tag, n, topo.stemFilters(), h2, w2), tmp.data());
        pool("pool1", stem, pooled, dnnl_pooling_max, 3, 2, 1);
        Dnnl.Mem buffer = null;
        for (int b = 0; b < blocks; b++) {
            long hb = sides[2 * b];
            long wb = sides[2 * b + 1];
            int cb = topo.blockChannels(b);
            buffer = dnnl.memory(dnnl.md(tag, n, cb, hb, wb));
            copyIntoSlice(pooled, buffer, n, topo.blockInput(b), 0, cb, hb * wb);
            String stage = "conv" + (b + 2);
            int c = topo.blockInput(b);
            for (int l = 1; l <= topo.blockLayers()[b]; l++) {
                denseLayer(stage + "_block" + l, buffer, n, cb, c, hb, wb, scratch0, scratch1, tmp);
                c += topo.growth();
            }
            if (b < blocks - 1) {
                String tr = "pool" + (b + 2);
                Dnnl.Mem normed = dnnl.wrap(dnnl.md(tag, n, cb, hb, wb), scratch0.data());
                bn(tr + "_bn", buffer, normed, true);
                int ct = topo.transitions()[b];
                Dnnl.Mem conv = dnnl.wrap(dnnl.md(tag, n, ct, hb, wb), scratch1.data());
                conv(tr + "_conv", normed, conv, 1, 1, 0);
                pooled = dnnl.wrap(dnnl.md(tag, n, ct, sides[2 * b + 2], sides[2 * b + 3]), tmp.data());
                pool(tr + "_pool", conv, pooled, dnnl_pooling_avg_exclude_padding, 2, 2, 0);
            }
        }
        long hb = sides[2 * blocks - 2];
        long wb = sides[2 * blocks - 1];
        int cb = topo.blockChannels(blocks - 1);
        Dnnl.Mem last = buffer;
        if (cut.tail() == DenseNetTopology.Tail.BN || cut.tail() == DenseNetTopology.Tail.RELU
                || cut.tail() == DenseNetTopology.Tail.AVG_POOL) {
            last = dnnl.wrap(dnnl.md(tag, n, cb, hb, wb), scratch0.data());
            bn("bn", buffer, last, cut.tail() != DenseNetTopology.Tail.BN);
        }
        if (cut.tail() == DenseNetTopology.Tail.AVG_POOL) {
            Dnnl.Mem avg = dnnl.wrap(dnnl.md(tag, n, cb, 1, 1), tmp.data());
            globalAvg(last, avg, hb, wb);
            last = avg;
            outputShape = new long[] {n, cb};
            output = dnnl.memory(dnnl.md(dnnl_nchw, n, cb, 1, 1));
        } else {
            outputShape = new long[] {n, cb, hb, wb};
            output = dnnl.memory(dnnl.md(dnnl_nchw, outputShape));
        }
        Dnnl.Exec out = dnnl.reorder(last, output);
        impls.add(out.impl());
        steps.add(out::run);
    }

    /** The boundary's activations for {@code x} (NCHW float of {@link #inputShape}) from {@code graph}'s parameters. */
    INDArray run(ComputationGraph graph, INDArray x) {
        if (closed) {
            throw new IllegalStateException("the engine for " + topo.boundary() + " was released");
        }
        List<INDArray> alive = new ArrayList<>();
        for (Weights wt : weights) {
            Dnnl.point(wt.plain(), address(graph.getLayer(wt.layer()).getParam("W"), wt.elements(), alive));
            wt.reorder().run();
        }
        for (BnParams p : bnParams) {
            org.deeplearning4j.nn.api.Layer l = graph.getLayer(p.layer());
            long c = p.mean().md().dims().get(0);
            Dnnl.point(p.mean(), address(l.getParam("mean"), c, alive));
            Dnnl.point(p.var(), address(l.getParam("var"), c, alive));
            Dnnl.point(p.gamma(), address(l.getParam("gamma"), c, alive));
            Dnnl.point(p.beta(), address(l.getParam("beta"), c, alive));
        }
        long in = 1;
        for (long d : inputShape) {
            in *= d;
        }
        Dnnl.copy(address(x, in, alive), input.data().address(), in * 4);
        for (Runnable s : steps) {
            s.run();
        }
        dnnl.sync();
        INDArray result = org.nd4j.linalg.factory.Nd4j.createUninitializedDetached(DataType.FLOAT, outputShape);
        Dnnl.copy(output.data().address(), result.data().addressPointer().address(), result.length() * 4);
        alive.clear();
        return result;
    }

    /** Frees the engine's native buffers and primitives now; later calls do nothing (callers check {@link #closed}). */
    void close() {
        if (!closed) {
            closed = true;
            dnnl.close();
        }
    }

    /** Whether {@link #close} ran: the engine must not {@link #run} any more. */
    boolean closed() {
        return closed;
    }

    /**
     * The address of {@code a}'s first element if it is a float array of {@code elements} elements laid out
     * contiguously in C order (a parameter view of the graph's flattened parameters is), else of a C-order copy kept
     * in {@code alive} until the call ends.
     */
    private static long address(INDArray a, long elements, List<INDArray> alive) {
        if (a.length() != elements) {
            throw new IllegalStateException("parameter of " + a.length() + " elements where the engine was compiled "
                    + "for " + elements + ": the graph changed shape, recompile");
        }
        boolean contiguous = a.ordering() == 'c' && (a.elementWiseStride() == 1 || Shape.hasDefaultStridesForShape(a));
        if (a.dataType() != DataType.FLOAT || !contiguous) {
            a = a.castTo(DataType.FLOAT).dup('c');
            alive.add(a);
        }
        return a.data().addressPointer().address(); // a view's buffer pointer already starts at its offset
    }

    private void add(Dnnl.Exec e) {
        impls.add(e.impl());
        steps.add(e::run);
    }

    /** Convolution {@code src} → {@code dst} (concrete layouts), weights in the layout oneDNN picks. */
    private Dnnl.Exec conv(String layer, Dnnl.Mem src, Dnnl.Mem dst, int k, int stride, int pad) {
        dnnl_primitive_desc pd = convPd(src.md(), dst.md(), k, stride, pad);
        Dnnl.Mem srcUsed = src;
        dnnl_memory_desc_t want = Dnnl.argMd(pd, DNNL_ARG_SRC);
        if (!Dnnl.same(want, src.md())) {
            srcUsed = dnnl.memory(want);
            add(dnnl.reorder(src, srcUsed));
        }
        long[] wd = weightDims(src, dst, k);
        Dnnl.Mem plain = dnnl.wrapAt(dnnl.md(dnnl_oihw, wd), input.data().address());
        Dnnl.Mem blocked = dnnl.memory(Dnnl.argMd(pd, DNNL_ARG_WEIGHTS));
        weights.add(new Weights(layer, plain, dnnl.reorder(plain, blocked), wd[0] * wd[1] * wd[2] * wd[3]));
        Dnnl.Exec e = dnnl.exec(pd, DNNL_ARG_SRC, srcUsed, DNNL_ARG_WEIGHTS, blocked, DNNL_ARG_DST, dst);
        add(e);
        return e;
    }

    private static long[] weightDims(Dnnl.Mem src, Dnnl.Mem dst, int k) {
        return new long[] {dst.md().dims().get(1), src.md().dims().get(1), k, k};
    }

    private dnnl_primitive_desc convPd(dnnl_memory_desc_t src, dnnl_memory_desc_t dst, int k, int stride, int pad) {
        long[] sd = dims(src);
        long[] dd = dims(dst);
        dnnl_memory_desc_t srcAny = sd[1] < 8 ? dnnl.md(dnnl_format_tag_any, sd) : src;
        // right padding so that oneDNN's output size is DL4J's (floor) size
        long padH = (dd[2] - 1) * stride + k - sd[2] - pad;
        long padW = (dd[3] - 1) * stride + k - sd[3] - pad;
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_convolution_forward_desc_init(cd, dnnl_forward_inference, dnnl_convolution_direct, srcAny,
                dnnl.md(dnnl_format_tag_any, dd[1], sd[1], k, k), null, dst, new LongPointer(stride, stride),
                new LongPointer(pad, pad), new LongPointer(padH, padW)), "dnnl_convolution_forward_desc_init");
        return dnnl.pd(cd, null, "convolution forward inference");
    }

    private static long[] dims(dnnl_memory_desc_t md) {
        long[] d = new long[md.ndims()];
        for (int i = 0; i < d.length; i++) {
            d[i] = md.dims().get(i);
        }
        return d;
    }

    /** Inference BatchNorm (global statistics) of {@code src} into {@code dst} (same layout), ReLU fused if asked. */
    private void bn(String layer, Dnnl.Mem src, Dnnl.Mem dst, boolean relu) {
        add(bnExec(layer, bnPd(src.md(), relu), src, dst));
    }

    private dnnl_primitive_desc bnPd(dnnl_memory_desc_t data, boolean relu) {
        int flags = dnnl_use_global_stats | dnnl_use_scale | dnnl_use_shift | (relu ? dnnl_fuse_norm_relu : 0);
        dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
        Dnnl.check(dnnl_batch_normalization_forward_desc_init(bd, dnnl_forward_inference, data, (float) topo.eps(),
                flags), "dnnl_batch_normalization_forward_desc_init");
        return dnnl.pd(bd, null, "batch normalization forward inference");
    }

    private Dnnl.Exec bnExec(String layer, dnnl_primitive_desc pd, Dnnl.Mem src, Dnnl.Mem dst) {
        long c = src.md().dims().get(1);
        dnnl_memory_desc_t cmd = dnnl.md(dnnl_a, c);
        long any = input.data().address();
        BnParams p = new BnParams(layer, dnnl.wrapAt(cmd, any), dnnl.wrapAt(cmd, any), dnnl.wrapAt(cmd, any),
                dnnl.wrapAt(cmd, any));
        bnParams.add(p);
        return dnnl.exec(pd, DNNL_ARG_SRC, src, DNNL_ARG_MEAN, p.mean(), DNNL_ARG_VARIANCE, p.var(),
                DNNL_ARG_SCALE, p.gamma(), DNNL_ARG_SHIFT, p.beta(), DNNL_ARG_DST, dst);
    }

    private void pool(String layer, Dnnl.Mem src, Dnnl.Mem dst, int alg, int k, int stride, int pad) {
        long[] sd = dims(src.md());
        long[] dd = dims(dst.md());
        long padH = (dd[2] - 1) * stride + k - sd[2] - pad;
        long padW = (dd[3] - 1) * stride + k - sd[3] - pad;
        dnnl_pooling_desc_t pdsc = new dnnl_pooling_desc_t();
        Dnnl.check(dnnl_pooling_forward_desc_init(pdsc, dnnl_forward_inference, alg, src.md(), dst.md(),
                new LongPointer(stride, stride), new LongPointer(k, k), new LongPointer(pad, pad),
                new LongPointer(padH, padW)), "dnnl_pooling_forward_desc_init(" + layer + ")");
        add(dnnl.exec(dnnl.pd(pdsc, null, "pooling forward inference"), DNNL_ARG_SRC, src, DNNL_ARG_DST, dst));
    }

    private void globalAvg(Dnnl.Mem src, Dnnl.Mem dst, long h, long w) {
        dnnl_pooling_desc_t pdsc = new dnnl_pooling_desc_t();
        Dnnl.check(dnnl_pooling_forward_desc_init(pdsc, dnnl_forward_inference, dnnl_pooling_avg_exclude_padding,
                src.md(), dst.md(), new LongPointer(1, 1), new LongPointer(h, w), new LongPointer(0, 0),
                new LongPointer(0, 0)), "dnnl_pooling_forward_desc_init(avg_pool)");
        add(dnnl.exec(dnnl.pd(pdsc, null, "global average pooling"), DNNL_ARG_SRC, src, DNNL_ARG_DST, dst));
    }

    /**
     * Copies {@code part} (n × c channels, blocked, dense) into channels [from, from + c) of {@code buffer} (n × cb
     * channels): per image one contiguous run of c·h·w floats, the channel offset being a multiple of the block.
     */
    private void copyIntoSlice(Dnnl.Mem part, Dnnl.Mem buffer, long n, long c, long from, long cb, long hw) {
        long src = part.data().address();
        long dst = buffer.data().address();
        steps.add(() -> {
            for (long i = 0; i < n; i++) {
                Dnnl.copy(src + i * c * hw * 4, dst + (i * cb + from) * hw * 4, c * hw * 4);
            }
        });
    }

    /**
     * One dense layer on block buffer {@code buffer} (n × cb × h × w) whose first {@code c} channels are written:
     * BN+ReLU of those channels per image (each image's first c channels are one dense nChw8c run, read in place)
     * into {@code s0}, 1×1 convolution into {@code s1}, BN+ReLU in place, 3×3 convolution into channels [c, c+32).
     */
    private void denseLayer(String name, Dnnl.Mem buffer, long n, int cb, int c, long h, long w, Dnnl.Mem s0,
                            Dnnl.Mem s1, Dnnl.Mem tmp) {
        long hw = h * w;
        dnnl_memory_desc_t one = dnnl.md(tag, 1, c, h, w);
        dnnl_primitive_desc bnPd = bnPd(one, true);
        long base = buffer.data().address();
        long out = s0.data().address();
        Dnnl.Exec first = bnExec(name + "_0_bn", bnPd, dnnl.wrapAt(one, base), dnnl.wrapAt(one, out));
        add(first);
        BnParams shared = bnParams.get(bnParams.size() - 1);
        for (long i = 1; i < n; i++) {
            add(dnnl.rebind(first, DNNL_ARG_SRC, dnnl.wrapAt(one, base + i * cb * hw * 4), DNNL_ARG_MEAN, shared.mean(),
                    DNNL_ARG_VARIANCE, shared.var(), DNNL_ARG_SCALE, shared.gamma(), DNNL_ARG_SHIFT, shared.beta(),
                    DNNL_ARG_DST, dnnl.wrapAt(one, out + i * c * hw * 4)));
        }
        Dnnl.Mem normed = dnnl.wrap(dnnl.md(tag, n, c, h, w), s0.data());
        Dnnl.Mem mid = dnnl.wrap(dnnl.md(tag, n, topo.bottleneck(), h, w), s1.data());
        conv(name + "_1_conv", normed, mid, 1, 1, 0);
        bn(name + "_1_bn", mid, mid, true);
        // the 3x3 convolution writes its channels straight into the block buffer when oneDNN's optimised kernel
        // takes the channel slice as its destination; else into a dense buffer copied into the slice per image
        dnnl_memory_desc_t slice = new dnnl_memory_desc_t();
        Dnnl.check(dnnl_memory_desc_init_submemory(slice, buffer.md(), new LongPointer(n, topo.growth(), h, w),
                new LongPointer(0, c, 0, 0)), "dnnl_memory_desc_init_submemory");
        dnnl_primitive_desc direct = convPd(mid.md(), slice, 3, 1, 1);
        if (!Dnnl.impl(direct).startsWith("ref")) {
            convWritesSlice = true;
            conv(name + "_2_conv", mid, dnnl.wrap(slice, buffer.data()), 3, 1, 1);
        } else {
            Dnnl.Mem grown = dnnl.wrap(dnnl.md(tag, n, topo.growth(), h, w), tmp.data());
            conv(name + "_2_conv", mid, grown, 3, 1, 1);
            copyIntoSlice(grown, buffer, n, topo.growth(), c, cb, hw);
        }
    }
}
