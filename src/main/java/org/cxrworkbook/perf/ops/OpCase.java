package org.cxrworkbook.perf.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cxrworkbook.model.DenseNetConfig;

/**
 * One operation of DenseNet121 at its real shape: kind, batch, input channels and side, output channels, kernel,
 * stride, padding, and how many times a training step runs it ({@link #count}, used to add the table up to a
 * network total).
 *
 * <p>Dense blocks are sampled at their narrowest and widest layer input: a dense layer's BN+ReLU, 1×1 convolution
 * and concatenation cost grows linearly with its input width, so a block of L layers is counted as L/2 times the
 * narrowest plus L/2 times the widest (exact for a cost linear in width).
 */
public record OpCase(String group, String name, Kind kind, int batch, int channels, int side, int outChannels,
                     int kernel, int stride, int pad, double count) {

    /** The operation kinds timed. */
    public enum Kind {
        CONV, BN_RELU, MAX_POOL, AVG_POOL, CONCAT,
        /**
         * A whole dense layer, BN-ReLU-conv1×1 (to 4 × {@code outChannels})-BN-ReLU-conv3×3 (to {@code outChannels}),
         * run as one unit; it repeats ops listed on their own, so it is left out of the totals.
         */
        DENSE_LAYER,
        /**
         * BN+ReLU with oneDNN on plain NCHW instead of its blocked layout: what a oneDNN BatchNorm helper inside
         * DL4J's layer API (which hands helpers NCHW arrays) could reach without an engine; left out of the totals.
         */
        BN_RELU_NCHW;

        /** Whether the per-step totals count this kind (the variants repeat ops listed on their own). */
        public boolean inTotals() {
            return this != DENSE_LAYER && this != BN_RELU_NCHW;
        }
    }

    /** Output side of this operation. */
    public int outSide() {
        return switch (kind) {
            case CONV, MAX_POOL, AVG_POOL -> (side + 2 * pad - kernel) / stride + 1;
            case BN_RELU, BN_RELU_NCHW, CONCAT, DENSE_LAYER -> side;
        };
    }

    /** Channels of the output (the concatenation's is input + growth). */
    public int outputChannels() {
        return switch (kind) {
            case CONV, DENSE_LAYER -> outChannels;
            case CONCAT -> channels + outChannels;
            case BN_RELU, BN_RELU_NCHW, MAX_POOL, AVG_POOL -> channels;
        };
    }

    /** Key that identifies the case across the Java and Python workers, e.g. "block2/conv1x1@480". */
    public String key() {
        return group + "/" + name;
    }

    /** Compact JSON for the PyTorch worker. */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"key\":\"%s\",\"kind\":\"%s\",\"n\":%d,\"c\":%d,\"h\":%d,\"cout\":%d,"
                + "\"k\":%d,\"stride\":%d,\"pad\":%d}", key(), kind, batch, channels, side, outChannels, kernel, stride,
                pad);
    }

    /** DenseNet121's operations at input side {@code inputSize} and {@code batch}, in the order a step runs them. */
    public static List<OpCase> densenet121(int inputSize, int batch) {
        DenseNetConfig c = DenseNetConfig.densenet121().toBuilder().inputSize(inputSize).build();
        List<OpCase> ops = new ArrayList<>();
        int side = inputSize;
        int stem = c.stemFilters();
        ops.add(new OpCase("stem", "conv7x7 s2", Kind.CONV, batch, c.channels(), side, stem, 7, 2, 3, 1));
        side = (side + 6 - 7) / 2 + 1;
        ops.add(new OpCase("stem", "bn+relu", Kind.BN_RELU, batch, stem, side, stem, 0, 1, 0, 1));
        ops.add(new OpCase("stem", "maxpool3x3 s2", Kind.MAX_POOL, batch, stem, side, stem, 3, 2, 1, 1));
        side = (side + 2 - 3) / 2 + 1;
        int channels = stem;
        int[] blocks = c.blocks();
        int growth = c.growthRate();
        int bottleneck = c.bottleneckWidth();
        for (int b = 0; b < blocks.length; b++) {
            String g = "block" + (b + 1);
            int layers = blocks[b];
            int narrow = channels;
            int wide = channels + growth * (layers - 1);
            double half = layers / 2.0;
            for (int width : new int[] {narrow, wide}) {
                ops.add(new OpCase(g, "bn+relu@" + width, Kind.BN_RELU, batch, width, side, width, 0, 1, 0, half));
                ops.add(new OpCase(g, "conv1x1@" + width, Kind.CONV, batch, width, side, bottleneck, 1, 1, 0, half));
            }
            ops.add(new OpCase(g, "bn+relu@" + bottleneck, Kind.BN_RELU, batch, bottleneck, side, bottleneck, 0, 1, 0,
                    layers));
            ops.add(new OpCase(g, "conv3x3 " + bottleneck + "→" + growth, Kind.CONV, batch, bottleneck, side, growth, 3,
                    1, 1, layers));
            for (int width : new int[] {narrow, wide}) {
                ops.add(new OpCase(g, "concat@" + width, Kind.CONCAT, batch, width, side, growth, 0, 1, 0, half));
            }
            if (bottleneck == 4 * growth) {
                for (int width : new int[] {narrow, wide}) {
                    ops.add(new OpCase(g, "dense layer@" + width, Kind.DENSE_LAYER, batch, width, side, growth, 3, 1, 1,
                            half));
                }
            }
            ops.add(new OpCase(g, "bn+relu@" + wide + " nchw", Kind.BN_RELU_NCHW, batch, wide, side, wide, 0, 1, 0,
                    half));
            channels += growth * layers;
            if (b < blocks.length - 1) {
                String t = "transition" + (b + 1);
                int out = (int) Math.floor(channels * c.compression());
                ops.add(new OpCase(t, "bn+relu@" + channels, Kind.BN_RELU, batch, channels, side, channels, 0, 1, 0, 1));
                ops.add(new OpCase(t, "conv1x1 " + channels + "→" + out, Kind.CONV, batch, channels, side, out, 1, 1, 0,
                        1));
                ops.add(new OpCase(t, "avgpool2x2", Kind.AVG_POOL, batch, out, side, out, 2, 2, 0, 1));
                channels = out;
                side = side / 2;
            }
        }
        ops.add(new OpCase("head", "bn+relu@" + channels, Kind.BN_RELU, batch, channels, side, channels, 0, 1, 0, 1));
        return ops;
    }
}
