package org.cxrworkbook.perf.ops;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.cxrworkbook.model.engine.DenseLayerTraining;
import org.cxrworkbook.model.engine.Dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DenseNet121's operations through oneDNN directly, as a dense-block engine would run them: activations in the
 * blocked layout oneDNN chooses ({@code format_tag any} for convolutions, the same blocking elsewhere: see
 * {@link Dnnl#activationTag()}), primitives created once
 * and reused, BatchNorm with ReLU fused ({@code dnnl_fuse_norm_relu}). Weights arrive in DL4J's plain OIHW layout
 * and their reorder into the convolution's layout is part of the timed forward pass (once per step in an engine), as
 * is the reorder of the weight gradient back to OIHW in the backward pass; activation layouts are never converted
 * unless a backward primitive asks for another layout than its forward produced (then that reorder is timed too).
 */
final class DnnlOps {

    private DnnlOps() {
    }

    /** The oneDNN runner of {@code op}. */
    static OpRunner create(Dnnl dnnl, OpCase op) {
        int layout = dnnl.activationTag();
        return switch (op.kind()) {
            case CONV -> new Conv(dnnl, op);
            case BN_RELU -> new BnRelu(dnnl, op, 1.001e-5f, layout);
            case BN_RELU_NCHW -> new BnRelu(dnnl, op, 1.001e-5f, dnnl_nchw);
            case MAX_POOL, AVG_POOL -> new Pool(dnnl, op, layout);
            case CONCAT -> new Concat(dnnl, op, layout);
            case DENSE_LAYER -> new DenseLayer(op, 1.001e-5f);
        };
    }

    static long[] nchw(OpCase op, int channels, int side) {
        return new long[] {op.batch(), channels, side, side};
    }

    /** Common plumbing: the list of primitives of each pass and the description of what oneDNN chose. */
    abstract static class Base implements OpRunner {
        final Dnnl dnnl;
        final OpCase op;
        final List<Dnnl.Exec> fwd = new ArrayList<>();
        final List<Dnnl.Exec> bwd = new ArrayList<>();

        Base(Dnnl dnnl, OpCase op) {
            this.dnnl = dnnl;
            this.op = op;
        }

        @Override
        public void forward() {
            for (Dnnl.Exec e : fwd) {
                e.run();
            }
            dnnl.sync();
        }

        @Override
        public void backward() {
            for (Dnnl.Exec e : bwd) {
                e.run();
            }
            dnnl.sync();
        }

        @Override
        public OpResult check(OpData data) {
            load(data);
            forward();
            backward();
            return result();
        }

        abstract OpResult result();

        @Override
        public String describe() {
            List<String> parts = new ArrayList<>();
            for (Dnnl.Exec e : fwd) {
                parts.add(e.impl());
            }
            parts.add("|");
            for (Dnnl.Exec e : bwd) {
                parts.add(e.impl());
            }
            return String.join(" ", parts);
        }
    }

    /**
     * Convolution forward, backward data and backward weights; no bias (DenseNet has none). Chained after another
     * primitive it reads that primitive's output memory ({@code srcIn}) and writes its input gradient into the
     * memory that primitive's backward reads ({@code diffSrcOut}), converting layouts only where they differ.
     */
    static final class Conv extends Base {
        final String weights;
        final long[] srcDims;
        final long[] dstDims;
        final long[] wDims;
        final Dnnl.Mem src;
        final Dnnl.Mem wPlain;
        final Dnnl.Mem dst;
        final Dnnl.Mem diffDst;
        final Dnnl.Mem diffSrc;
        final Dnnl.Mem diffWPlain;

        Conv(Dnnl dnnl, OpCase op) {
            this(dnnl, op, "conv", null, null);
        }

        Conv(Dnnl dnnl, OpCase op, String name, Dnnl.Mem srcIn, Dnnl.Mem diffSrcOut) {
            super(dnnl, op);
            weights = name + "/W";
            srcDims = nchw(op, op.channels(), op.side());
            dstDims = nchw(op, op.outChannels(), op.outSide());
            wDims = new long[] {op.outChannels(), op.channels(), op.kernel(), op.kernel()};
            LongPointer strides = new LongPointer(op.stride(), op.stride());
            LongPointer pad = new LongPointer(op.pad(), op.pad());
            // right padding so that oneDNN's output size matches DL4J's (floor) output size
            long padR = (long) (op.outSide() - 1) * op.stride() + op.kernel() - op.side() - op.pad();
            LongPointer padRight = new LongPointer(padR, padR);
            dnnl_memory_desc_t srcAny = dnnl.md(dnnl_format_tag_any, srcDims);
            dnnl_memory_desc_t wAny = dnnl.md(dnnl_format_tag_any, wDims);
            dnnl_memory_desc_t dstAny = dnnl.md(dnnl_format_tag_any, dstDims);

            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, srcAny,
                    wAny, null, dstAny, strides, pad, padRight), "dnnl_convolution_forward_desc_init");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "convolution forward");

            dnnl_convolution_desc_t dd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_backward_data_desc_init(dd, dnnl_convolution_direct, srcAny, wAny, dstAny,
                    strides, pad, padRight), "dnnl_convolution_backward_data_desc_init");
            dnnl_primitive_desc dpd = dnnl.pd(dd, fpd, "convolution backward data");

            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, srcAny, wAny, null,
                    dstAny, strides, pad, padRight), "dnnl_convolution_backward_weights_desc_init");
            dnnl_primitive_desc wpd = dnnl.pd(wd, fpd, "convolution backward weights");

            dnnl_memory_desc_t srcMd = Dnnl.argMd(fpd, DNNL_ARG_SRC);
            if (srcIn != null && Dnnl.same(srcMd, srcIn.md())) {
                src = srcIn;
            } else {
                src = dnnl.memory(srcMd);
                if (srcIn != null) {
                    fwd.add(dnnl.reorder(srcIn, src));
                }
            }
            dst = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_DST));
            wPlain = dnnl.memory(dnnl.md(dnnl_oihw, wDims));
            diffWPlain = dnnl.memory(dnnl.md(dnnl_oihw, wDims));
            Dnnl.Mem wFwd = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_WEIGHTS));
            fwd.add(dnnl.reorder(wPlain, wFwd));
            fwd.add(dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wFwd, DNNL_ARG_DST, dst));

            // the gradient arrives in the layout the forward output has
            diffDst = dnnl.memory(dst.md());
            Dnnl.Mem ddData = layoutFor(Dnnl.argMd(dpd, DNNL_ARG_DIFF_DST), diffDst);
            Dnnl.Mem wData = Dnnl.same(Dnnl.argMd(dpd, DNNL_ARG_WEIGHTS), wFwd.md()) ? wFwd
                    : dnnl.memory(Dnnl.argMd(dpd, DNNL_ARG_WEIGHTS));
            if (wData != wFwd) {
                bwd.add(dnnl.reorder(wPlain, wData));
            }
            dnnl_memory_desc_t diffSrcMd = Dnnl.argMd(dpd, DNNL_ARG_DIFF_SRC);
            diffSrc = diffSrcOut != null && Dnnl.same(diffSrcMd, diffSrcOut.md()) ? diffSrcOut : dnnl.memory(diffSrcMd);
            bwd.add(dnnl.exec(dpd, DNNL_ARG_DIFF_DST, ddData, DNNL_ARG_WEIGHTS, wData, DNNL_ARG_DIFF_SRC, diffSrc));
            Dnnl.Exec diffSrcCopy = diffSrcOut != null && diffSrc != diffSrcOut ? dnnl.reorder(diffSrc, diffSrcOut) : null;

            Dnnl.Mem ddWeights = layoutFor(Dnnl.argMd(wpd, DNNL_ARG_DIFF_DST), diffDst);
            Dnnl.Mem srcW = layoutFor(Dnnl.argMd(wpd, DNNL_ARG_SRC), src);
            Dnnl.Mem diffW = dnnl.memory(Dnnl.argMd(wpd, DNNL_ARG_DIFF_WEIGHTS));
            bwd.add(dnnl.exec(wpd, DNNL_ARG_SRC, srcW, DNNL_ARG_DIFF_DST, ddWeights, DNNL_ARG_DIFF_WEIGHTS, diffW));
            bwd.add(dnnl.reorder(diffW, diffWPlain));
            if (diffSrcCopy != null) {
                bwd.add(diffSrcCopy);
            }
        }

        /** {@code have} if its layout is {@code wanted}, else a new memory filled by a (timed) reorder. */
        private Dnnl.Mem layoutFor(dnnl_memory_desc_t wanted, Dnnl.Mem have) {
            if (Dnnl.same(wanted, have.md())) {
                return have;
            }
            Dnnl.Mem m = dnnl.memory(wanted);
            bwd.add(dnnl.reorder(have, m));
            return m;
        }

        @Override
        public void load(OpData d) {
            dnnl.write(d.inputs().get(0), dnnl_nchw, srcDims, src);
            dnnl.write(d.params().get(weights), dnnl_oihw, wDims, wPlain);
            dnnl.write(d.outputGradient(), dnnl_nchw, dstDims, diffDst);
        }

        @Override
        OpResult result() {
            Map<String, float[]> grads = new LinkedHashMap<>();
            grads.put(weights, dnnl.read(diffWPlain, dnnl_oihw, wDims));
            return new OpResult(dnnl.read(dst, dnnl_nchw, dstDims), List.of(dnnl.read(diffSrc, dnnl_nchw, srcDims)),
                    grads);
        }
    }

    /** BatchNorm (batch statistics, scale and shift) with the ReLU fused, forward training and backward. */
    static final class BnRelu extends Base {
        final String name;
        final long[] dims;
        final long[] cDims;
        final Dnnl.Mem src;
        final Dnnl.Mem dst;
        final Dnnl.Mem scale;
        final Dnnl.Mem shift;
        final Dnnl.Mem diffDst;
        final Dnnl.Mem diffSrc;
        final Dnnl.Mem diffScale;
        final Dnnl.Mem diffShift;

        BnRelu(Dnnl dnnl, OpCase op, float eps, int layout) {
            this(dnnl, op, eps, "bn", dnnl.md(layout, nchw(op, op.channels(), op.side())), null, null);
        }

        /**
         * BN+ReLU over {@code data} (a concrete layout); chained, it normalises {@code srcIn} in place of a memory of
         * its own and writes its input gradient into {@code diffSrcOut} (both of layout {@code data}).
         */
        BnRelu(Dnnl dnnl, OpCase op, float eps, String name, dnnl_memory_desc_t data, Dnnl.Mem srcIn,
               Dnnl.Mem diffSrcOut) {
            super(dnnl, op);
            this.name = name;
            dims = nchw(op, op.channels(), op.side());
            cDims = new long[] {op.channels()};
            int flags = dnnl_use_scale | dnnl_use_shift | dnnl_fuse_norm_relu;
            dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
            Dnnl.check(dnnl_batch_normalization_forward_desc_init(fd, dnnl_forward_training, data, eps, flags),
                    "dnnl_batch_normalization_forward_desc_init");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "batch normalization forward");
            dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
            Dnnl.check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, data, data, eps, flags),
                    "dnnl_batch_normalization_backward_desc_init");
            dnnl_primitive_desc bpd = dnnl.pd(bd, fpd, "batch normalization backward");

            src = srcIn != null ? srcIn : dnnl.memory(data);
            dst = dnnl.memory(data);
            scale = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_SCALE));
            shift = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_SHIFT));
            Dnnl.Mem mean = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_MEAN));
            Dnnl.Mem variance = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_VARIANCE));
            Dnnl.Mem workspace = dnnl.memory(Dnnl.argMd(fpd, DNNL_ARG_WORKSPACE));
            fwd.add(dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_WORKSPACE, workspace, DNNL_ARG_DST, dst));
            diffDst = dnnl.memory(data);
            diffSrc = diffSrcOut != null ? diffSrcOut : dnnl.memory(data);
            diffScale = dnnl.memory(Dnnl.argMd(bpd, DNNL_ARG_DIFF_SCALE));
            diffShift = dnnl.memory(Dnnl.argMd(bpd, DNNL_ARG_DIFF_SHIFT));
            bwd.add(dnnl.exec(bpd, DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                    DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_WORKSPACE, workspace, DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_DIFF_SCALE, diffScale,
                    DNNL_ARG_DIFF_SHIFT, diffShift));
        }

        @Override
        public void load(OpData d) {
            dnnl.write(d.inputs().get(0), dnnl_nchw, dims, src);
            dnnl.write(d.params().get(name + "/gamma"), dnnl_a, cDims, scale);
            dnnl.write(d.params().get(name + "/beta"), dnnl_a, cDims, shift);
            dnnl.write(d.outputGradient(), dnnl_nchw, dims, diffDst);
        }

        @Override
        OpResult result() {
            Map<String, float[]> grads = new LinkedHashMap<>();
            grads.put(name + "/gamma", dnnl.read(diffScale, dnnl_a, cDims));
            grads.put(name + "/beta", dnnl.read(diffShift, dnnl_a, cDims));
            return new OpResult(dnnl.read(dst, dnnl_nchw, dims), List.of(dnnl.read(diffSrc, dnnl_nchw, dims)), grads);
        }
    }

    /** Max pooling (the stem's, with the workspace of argmax positions) or average pooling (the transitions'). */
    static final class Pool extends Base {
        final long[] srcDims;
        final long[] dstDims;
        final Dnnl.Mem src;
        final Dnnl.Mem dst;
        final Dnnl.Mem diffDst;
        final Dnnl.Mem diffSrc;

        Pool(Dnnl dnnl, OpCase op, int layout) {
            super(dnnl, op);
            srcDims = nchw(op, op.channels(), op.side());
            dstDims = nchw(op, op.channels(), op.outSide());
            dnnl_memory_desc_t srcMd = dnnl.md(layout, srcDims);
            dnnl_memory_desc_t dstMd = dnnl.md(layout, dstDims);
            int alg = op.kind() == OpCase.Kind.MAX_POOL ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding;
            LongPointer strides = new LongPointer(op.stride(), op.stride());
            LongPointer kernel = new LongPointer(op.kernel(), op.kernel());
            LongPointer pad = new LongPointer(op.pad(), op.pad());
            long padR = (long) (op.outSide() - 1) * op.stride() + op.kernel() - op.side() - op.pad();
            LongPointer padRight = new LongPointer(padR, padR);
            dnnl_pooling_desc_t fd = new dnnl_pooling_desc_t();
            Dnnl.check(dnnl_pooling_forward_desc_init(fd, dnnl_forward_training, alg, srcMd, dstMd, strides, kernel,
                    pad, padRight), "dnnl_pooling_forward_desc_init");
            dnnl_primitive_desc fpd = dnnl.pd(fd, null, "pooling forward");
            dnnl_pooling_desc_t bd = new dnnl_pooling_desc_t();
            Dnnl.check(dnnl_pooling_backward_desc_init(bd, alg, srcMd, dstMd, strides, kernel, pad, padRight),
                    "dnnl_pooling_backward_desc_init");
            dnnl_primitive_desc bpd = dnnl.pd(bd, fpd, "pooling backward");
            src = dnnl.memory(srcMd);
            dst = dnnl.memory(dstMd);
            diffDst = dnnl.memory(dstMd);
            diffSrc = dnnl.memory(srcMd);
            dnnl_memory_desc_t wsMd = Dnnl.argMd(fpd, DNNL_ARG_WORKSPACE);
            if (wsMd != null) {
                Dnnl.Mem ws = dnnl.memory(wsMd);
                fwd.add(dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_WORKSPACE, ws));
                bwd.add(dnnl.exec(bpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DIFF_SRC, diffSrc));
            } else {
                fwd.add(dnnl.exec(fpd, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst));
                bwd.add(dnnl.exec(bpd, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc));
            }
        }

        @Override
        public void load(OpData d) {
            dnnl.write(d.inputs().get(0), dnnl_nchw, srcDims, src);
            dnnl.write(d.outputGradient(), dnnl_nchw, dstDims, diffDst);
        }

        @Override
        OpResult result() {
            return new OpResult(dnnl.read(dst, dnnl_nchw, dstDims), List.of(dnnl.read(diffSrc, dnnl_nchw, srcDims)),
                    Map.of());
        }
    }

    /**
     * Channel concatenation of the block's running input and a dense layer's 32 new channels (a copy into a new
     * buffer, as DL4J's MergeVertex does); backward splits the gradient with two reorders from channel views.
     */
    static final class Concat extends Base {
        final long[][] srcDims;
        final long[] dstDims;
        final Dnnl.Mem[] srcs;
        final Dnnl.Mem dst;
        final Dnnl.Mem diffDst;
        final Dnnl.Mem[] diffSrcs;

        Concat(Dnnl dnnl, OpCase op, int layout) {
            super(dnnl, op);
            srcDims = new long[][] {nchw(op, op.channels(), op.side()), nchw(op, op.outChannels(), op.side())};
            dstDims = nchw(op, op.outputChannels(), op.side());
            dnnl_memory_desc_t dstMd = dnnl.md(layout, dstDims);
            dnnl_memory_desc_t srcMds = new dnnl_memory_desc_t(2);
            srcs = new Dnnl.Mem[2];
            for (int i = 0; i < 2; i++) {
                Dnnl.check(dnnl_memory_desc_init_by_tag(srcMds.getPointer(i), 4, new LongPointer(srcDims[i]), dnnl_f32,
                        layout), "dnnl_memory_desc_init_by_tag");
                srcs[i] = dnnl.memory(dnnl.md(layout, srcDims[i]));
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            Dnnl.check(dnnl_concat_primitive_desc_create(pd, dstMd, 2, 1, srcMds, null, dnnl.engine),
                    "dnnl_concat_primitive_desc_create");
            dst = dnnl.memory(dstMd);
            fwd.add(dnnl.exec(pd, DNNL_ARG_MULTIPLE_SRC, srcs[0], DNNL_ARG_MULTIPLE_SRC + 1, srcs[1], DNNL_ARG_DST, dst));
            diffDst = dnnl.memory(dstMd);
            diffSrcs = new Dnnl.Mem[2];
            long offset = 0;
            for (int i = 0; i < 2; i++) {
                dnnl_memory_desc_t view = new dnnl_memory_desc_t();
                Dnnl.check(dnnl_memory_desc_init_submemory(view, dstMd, new LongPointer(srcDims[i]),
                        new LongPointer(0, offset, 0, 0)), "dnnl_memory_desc_init_submemory");
                offset += srcDims[i][1];
                Dnnl.Mem part = dnnl.wrap(view, diffDst.data());
                diffSrcs[i] = dnnl.memory(dnnl.md(layout, srcDims[i]));
                bwd.add(dnnl.reorder(part, diffSrcs[i]));
            }
        }

        @Override
        public void load(OpData d) {
            for (int i = 0; i < 2; i++) {
                dnnl.write(d.inputs().get(i), dnnl_nchw, srcDims[i], srcs[i]);
            }
            dnnl.write(d.outputGradient(), dnnl_nchw, dstDims, diffDst);
        }

        @Override
        OpResult result() {
            return new OpResult(dnnl.read(dst, dnnl_nchw, dstDims), List.of(dnnl.read(diffSrcs[0], dnnl_nchw, srcDims[0]),
                    dnnl.read(diffSrcs[1], dnnl_nchw, srcDims[1])), Map.of());
        }
    }

    /**
     * A whole dense layer, BN+ReLU (fused) → 1×1 conv → BN+ReLU (fused) → 3×3 conv in the blocked layout, run by the
     * product's {@link DenseLayerTraining} on this case's parameters. Its timed passes include what the product does
     * at the layer's edges: the input's reorder from NCHW and the output's to NCHW in forward, the output gradient's
     * and the input gradient's in backward, the weights' reorders from OIHW (forward) and the weight gradients' to
     * OIHW (backward), and the copies between ND4J arrays and oneDNN memory.
     */
    static final class DenseLayer implements OpRunner {
        /** The case's parameter prefixes by the product's Keras vertex suffixes. */
        static final Map<String, String> NAMES = Map.of("_0_bn", "bn0", "_1_conv", "conv1", "_1_bn", "bn1",
                "_2_conv", "conv2");
        static final String LAYER = "dense";
        final OpCase op;
        final DenseLayerTraining layer;
        final Map<String, INDArray> params = new LinkedHashMap<>();
        INDArray input;
        INDArray outputGradient;
        INDArray output;
        DenseLayerTraining.Gradients gradients;

        DenseLayer(OpCase op, float eps) {
            this.op = op;
            layer = new DenseLayerTraining(LAYER, op.batch(), op.channels(), op.side(), op.side(),
                    4 * op.outChannels(), op.outChannels(), eps);
        }

        @Override
        public void load(OpData d) {
            input = Nd4j.create(d.inputs().get(0), nchw(op, op.channels(), op.side()), 'c');
            outputGradient = Nd4j.create(d.outputGradient(), nchw(op, op.outChannels(), op.side()), 'c');
            params.clear();
            d.params().forEach((k, v) -> params.put(k, Nd4j.createFromArray(v)));
        }

        @Override
        public void forward() {
            output = layer.forward((name, key) -> params.get(NAMES.get(name.substring(LAYER.length())) + "/" + key),
                    input);
        }

        @Override
        public void backward() {
            gradients = layer.backward(outputGradient);
        }

        @Override
        public OpResult check(OpData data) {
            load(data);
            forward();
            backward();
            Map<String, float[]> grads = new LinkedHashMap<>();
            gradients.params().forEach((k, v) -> {
                int cut = k.lastIndexOf('_');
                grads.put(NAMES.get(k.substring(LAYER.length(), cut)) + "/" + k.substring(cut + 1),
                        v.reshape(-1).toFloatVector());
            });
            float[] inputGradient = gradients.input().reshape(-1).toFloatVector();
            return new OpResult(output.reshape(-1).toFloatVector(), List.of(inputGradient), grads);
        }

        @Override
        public String describe() {
            return "model.engine.DenseLayerTraining";
        }
    }
}
