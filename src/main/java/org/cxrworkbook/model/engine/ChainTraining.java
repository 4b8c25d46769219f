package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a DenseNet between its dense blocks, trained in oneDNN's blocked layout: the stem ({@code conv1/conv}
 * 7×7/2, {@code conv1/bn} + {@code conv1/relu}, {@code pool1} 3×3/2 max), a transition ({@code poolK_bn} +
 * {@code poolK_relu}, {@code poolK_conv} 1×1, {@code poolK_pool} 2×2/2 average) and the final {@code bn} +
 * {@code relu}. Each is a chain of ops whose activations are all kept for backward (they are small next to a dense
 * block's); BatchNorm runs on batch statistics with its ReLU fused.
 *
 * <p>The stem's {@code ZeroPaddingLayer(3)} is the convolution's padding; the {@code ZeroPaddingLayer(1)} before the
 * max-pool is the pool's own padding (oneDNN pads with −∞, DL4J with 0: the same maxima because the input follows a
 * ReLU, and the same gradients, since a window whose maximum is a padded 0 only covers ReLU outputs of 0, whose
 * gradient the ReLU stops anyway).
 */
final class ChainTraining extends TrainingSegment {

    private final boolean inputGradient;
    private final List<List<Runnable>> steps = new ArrayList<>();
    private final Dnnl.Mem first;
    private final Dnnl.Mem firstDiff;
    private Dnnl.Mem cur;
    private Dnnl.Mem curDiff;
    private long[] curDims;

    private ChainTraining(long[] inDims, long[] outDims, boolean plainInput, boolean inputGradient) {
        super(inDims, outDims);
        this.inputGradient = inputGradient;
        if (plainInput) {
            first = inPlain;
            firstDiff = inputGradient ? gradInPlain : null;
        } else {
            first = dnnl.memory(dnnl.md(tag, inDims));
            fwd.add(dnnl.reorder(inPlain, first)::run);
            firstDiff = inputGradient ? dnnl.memory(dnnl.md(tag, inDims)) : null;
        }
        cur = first;
        curDiff = firstDiff;
        curDims = inDims.clone();
    }

    /** The stem for images of {@code n × channels × h × w}: to pool1's output. */
    static ChainTraining stem(long n, int channels, long h, long w, int filters, double eps) {
        long h1 = (h + 6 - 7) / 2 + 1;
        long w1 = (w + 6 - 7) / 2 + 1;
        long h2 = (h1 + 2 - 3) / 2 + 1;
        long w2 = (w1 + 2 - 3) / 2 + 1;
        if (h2 < 1 || w2 < 1) {
            throw new IllegalArgumentException("input " + h + "x" + w + " is too small for the stem");
        }
        ChainTraining c = new ChainTraining(new long[] {n, channels, h, w}, new long[] {n, filters, h2, w2}, true,
                false);
        try {
            c.conv("conv1/conv", filters, 7, 2, 3, h1, w1);
            c.bnRelu("conv1/bn", eps);
            c.pool("pool1", dnnl_pooling_max, 3, 2, 1, h2, w2);
            return c.finish();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Transition {@code prefix} (e.g. "pool2") from a block's {@code n × c × h × w} output to {@code out} channels. */
    static ChainTraining transition(String prefix, long n, int c, long h, long w, int out, double eps) {
        long h2 = h / 2;
        long w2 = w / 2;
        if (h2 < 1 || w2 < 1) {
            throw new IllegalArgumentException(prefix + ": a " + h + "x" + w + " input is too small to pool 2x2");
        }
        ChainTraining t = new ChainTraining(new long[] {n, c, h, w}, new long[] {n, out, h2, w2}, false, true);
        try {
            t.bnRelu(prefix + "_bn", eps);
            t.conv(prefix + "_conv", out, 1, 1, 0, h, w);
            t.pool(prefix + "_pool", dnnl_pooling_avg_exclude_padding, 2, 2, 0, h2, w2);
            return t.finish();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The final {@code bn} + {@code relu} over the last block's {@code n × c × h × w} output. */
    static ChainTraining finalNorm(long n, int c, long h, long w, double eps) {
        ChainTraining t = new ChainTraining(new long[] {n, c, h, w}, new long[] {n, c, h, w}, false, true);
        try {
            t.bnRelu("bn", eps);
            return t.finish();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    @Override
    boolean computesInputGradient() {
        return inputGradient;
    }

    private Dnnl.Mem[] next(long c, long h, long w) {
        curDims = new long[] {curDims[0], c, h, w};
        return new Dnnl.Mem[] {dnnl.memory(dnnl.md(tag, curDims)), dnnl.memory(dnnl.md(tag, curDims))};
    }

    private void advance(Dnnl.Mem[] out, List<Runnable> backward) {
        steps.add(backward);
        cur = out[0];
        curDiff = out[1];
    }

    private void conv(String layer, int filters, int k, int stride, int pad, long oh, long ow) {
        Dnnl.Mem[] out = next(filters, oh, ow);
        Conv conv = new Conv(layer, cur, curDiff, out[0], out[1], k, stride, pad);
        fwd.add(conv.forward::run);
        advance(out, conv.backward);
    }

    private void bnRelu(String layer, double eps) {
        Dnnl.Mem[] out = next(curDims[1], curDims[2], curDims[3]);
        // BN's backward always writes an input gradient; the chain's first op may have none to give it
        Dnnl.Mem diffSrc = curDiff != null ? curDiff : dnnl.memory(cur.md());
        Bn bn = new Bn(layer, cur, out[0], out[1], diffSrc, null, (float) eps);
        fwd.add(bn.forward::run);
        advance(out, bn.backward);
    }

    private void pool(String layer, int alg, int k, int stride, int pad, long oh, long ow) {
        Dnnl.Mem[] out = next(curDims[1], oh, ow);
        Dnnl.Mem diffSrc = curDiff != null ? curDiff : dnnl.memory(cur.md());
        Pool p = new Pool(layer, cur, diffSrc, out[0], out[1], alg, k, stride, pad);
        fwd.add(p.forward::run);
        advance(out, List.of(p.backward::run));
    }

    private ChainTraining finish() {
        fwd.add(dnnl.reorder(cur, outPlain)::run);
        bwd.add(dnnl.reorder(gradOutPlain, curDiff)::run);
        for (int i = steps.size() - 1; i >= 0; i--) {
            bwd.addAll(steps.get(i));
        }
        if (inputGradient && firstDiff != gradInPlain) {
            bwd.add(dnnl.reorder(firstDiff, gradInPlain)::run);
        }
        return this;
    }
}
