package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;

/**
 * A whole dense block of a Keras-named DenseNet graph ({@code STAGE_block1 … STAGE_blockL}, each {@code _0_bn →
 * _0_relu → _1_conv → _1_bn → _1_relu → _2_conv → _concat}) trained in oneDNN's blocked layout over one preallocated
 * concatenation buffer: forward with batch-statistics BatchNorm and the ReLU fused, backward to the block's input and
 * to every parameter, primitives created once for one input shape. The second piece of the training engine (issue 13);
 * {@link BaseTraining} runs the four blocks of a training step through it.
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
public final class DenseBlockTraining extends TrainingSegment {

    private final String stage;
    private final int c0;
    private final int cb;
    private final long n;
    private final long hw;

    /**
     * Compiles dense block {@code stage} (e.g. "conv5") of {@code layers} dense layers for block inputs of
     * {@code n × c0 × h × w}, with the given bottleneck and growth widths and BatchNorm epsilon.
     */
    public DenseBlockTraining(String stage, int layers, long n, int c0, long h, long w, int bottleneck, int growth,
                              double eps) {
        this(stage, 1, layers, n, c0, h, w, bottleneck, growth, eps);
    }

    /**
     * Compiles dense layers {@code first … first + layers − 1} (1-based, as in {@code conv5_block16}) of block
     * {@code stage}, whose input (the concatenation before layer {@code first}) has {@code c0} channels.
     */
    public DenseBlockTraining(String stage, int first, int layers, long n, int c0, long h, long w, int bottleneck,
                              int growth, double eps) {
        super(new long[] {n, c0, h, w}, new long[] {n, c0 + (long) layers * growth, h, w});
        this.stage = stage;
        this.n = n;
        this.c0 = c0;
        this.cb = c0 + layers * growth;
        this.hw = h * w;
        int block = channelBlock();
        if (first < 1 || layers < 1 || c0 % block != 0 || growth % block != 0 || bottleneck % block != 0) {
            dnnl.close();
            throw new IllegalArgumentException("layers " + first + "+" + layers + ", widths " + c0 + "/" + growth
                    + "/" + bottleneck + ": not positive, or not multiples of oneDNN's channel block " + block
                    + " on this CPU");
        }

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
            String name = stage + "_block" + (first + l);
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
            Conv conv1 = new Conv(name + "_1_conv", y, dy, mid, diffMid, 1, 1, 0);
            Dnnl.Mem bn1Out = dnnl.memory(dnnl.md(tag, midDims)); // kept per layer
            Bn bn1 = new Bn(name + "_1_bn", mid, bn1Out, diffBn1, diffMid, null, (float) eps);
            Conv conv2 = new Conv(name + "_2_conv", bn1Out, diffBn1, grown, diffGrown, 3, 1, 1);
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
}
