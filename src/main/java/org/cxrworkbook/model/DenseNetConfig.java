package org.cxrworkbook.model;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/** Immutable description of a DenseNet (Keras' DenseNet121 by default): sizes, head, loss, updater. */
public final class DenseNetConfig {

    private final int inputSize;
    private final int channels;
    private final int classes;
    private final int[] blocks;
    private final int growthRate;
    private final int bottleneckWidth;
    private final int stemFilters;
    private final double compression;
    private final double bnEpsilon;
    private final double bnDecay;
    private final boolean includeTop;
    private final ILossFunction lossFunction;
    private final IUpdater updater;
    private final long seed;
    private final DataType dataType;

    private DenseNetConfig(Builder b) {
        this.inputSize = b.inputSize;
        this.channels = b.channels;
        this.classes = b.classes;
        this.blocks = b.blocks.clone();
        this.growthRate = b.growthRate;
        this.bottleneckWidth = b.bottleneckWidth > 0 ? b.bottleneckWidth : 4 * b.growthRate;
        this.stemFilters = b.stemFilters;
        this.compression = b.compression;
        this.bnEpsilon = b.bnEpsilon;
        this.bnDecay = b.bnDecay;
        this.includeTop = b.includeTop;
        this.lossFunction = b.lossFunction;
        this.updater = b.updater;
        this.seed = b.seed;
        this.dataType = b.dataType;
    }

    /** Keras' DenseNet121: 224², 3 channels, blocks {6,12,24,16}, growth 32, 14-way sigmoid head. */
    public static DenseNetConfig densenet121() {
        return builder().build();
    }

    /** A tiny DenseNet of the same shape (blocks {2,2,2,2}, growth 8, stem 16, 64²) for tests and class. */
    public static DenseNetConfig small() {
        return builder().blocks(2, 2, 2, 2).growthRate(8).stemFilters(16).inputSize(64).build();
    }

    /** A builder starting from the DenseNet121 defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputSize = inputSize;
        b.channels = channels;
        b.classes = classes;
        b.blocks = blocks.clone();
        b.growthRate = growthRate;
        b.bottleneckWidth = bottleneckWidth;
        b.stemFilters = stemFilters;
        b.compression = compression;
        b.bnEpsilon = bnEpsilon;
        b.bnDecay = bnDecay;
        b.includeTop = includeTop;
        b.lossFunction = lossFunction;
        b.updater = updater;
        b.seed = seed;
        b.dataType = dataType;
        return b;
    }

    public int inputSize() { return inputSize; }
    public int channels() { return channels; }
    public int classes() { return classes; }
    public int[] blocks() { return blocks.clone(); }
    public int growthRate() { return growthRate; }
    public int bottleneckWidth() { return bottleneckWidth; }
    public int stemFilters() { return stemFilters; }
    public double compression() { return compression; }
    public double bnEpsilon() { return bnEpsilon; }
    /** DL4J's BN decay, equal to Keras' BN momentum (0.99). */
    public double bnDecay() { return bnDecay; }
    public boolean includeTop() { return includeTop; }
    public ILossFunction lossFunction() { return lossFunction; }
    public IUpdater updater() { return updater; }
    public long seed() { return seed; }
    public DataType dataType() { return dataType; }

    /** Channels leaving the last dense block (1024 for DenseNet121). */
    public int featureChannels() {
        int c = stemFilters;
        for (int i = 0; i < blocks.length; i++) {
            c += blocks[i] * growthRate;
            if (i < blocks.length - 1) {
                c = (int) Math.floor(c * compression);
            }
        }
        return c;
    }

    /** The network input, NCHW {@code [batch, channels, inputSize, inputSize]}. */
    public org.deeplearning4j.nn.conf.inputs.InputType inputType() {
        return org.deeplearning4j.nn.conf.inputs.InputType.convolutional(inputSize, inputSize, channels);
    }

    /** Side of the last feature map (7 for 224², 4 for 128²). */
    public int featureMapSize() {
        return finalMapSize(inputSize, blocks.length);
    }

    /** The smallest input side whose last feature map is not empty (29 for four dense blocks). */
    public int minInputSize() {
        int size = 1;
        while (finalMapSize(size, blocks.length) < 1) {
            size++;
        }
        return size;
    }

    static int finalMapSize(int size, int blockCount) {
        int s = (size + 6 - 7) / 2 + 1;     // zero-pad 3, 7×7 stride 2
        s = (s + 2 - 3) / 2 + 1;             // zero-pad 1, 3×3 max-pool stride 2
        for (int i = 0; i < blockCount - 1; i++) {
            s = s / 2;                       // 2×2 average pool stride 2 (valid)
        }
        return s;
    }

    @Override
    public String toString() {
        return "DenseNetConfig{inputSize=" + inputSize + ", channels=" + channels + ", classes=" + classes
                + ", blocks=" + Arrays.toString(blocks) + ", growthRate=" + growthRate
                + ", bottleneckWidth=" + bottleneckWidth + ", stemFilters=" + stemFilters
                + ", compression=" + compression + ", bnEpsilon=" + bnEpsilon + ", includeTop=" + includeTop
                + ", loss=" + lossFunction + ", updater=" + updater + ", seed=" + seed + ", dataType=" + dataType + "}";
    }

    /** Builder of {@link DenseNetConfig}; setters are named after the option. */
    public static final class Builder {
        private int inputSize = 224;
        private int channels = 3;
        private int classes = 14;
        private int[] blocks = {6, 12, 24, 16};
        private int growthRate = 32;
        private int bottleneckWidth = 0; // 0 = 4 × growth rate, as Keras
        private int stemFilters = 64;
        private double compression = 0.5;
        private double bnEpsilon = 1.001e-5;
        private double bnDecay = 0.99;
        private boolean includeTop = true;
        private ILossFunction lossFunction = new LossBinaryXENT();
        private IUpdater updater = new Adam(1e-3);
        private long seed = 42;
        private DataType dataType = DataType.FLOAT;

        private Builder() {
        }

        public Builder inputSize(int v) { this.inputSize = v; return this; }
        public Builder channels(int v) { this.channels = v; return this; }
        public Builder classes(int v) { this.classes = v; return this; }
        public Builder blocks(int... v) { this.blocks = v.clone(); return this; }
        public Builder growthRate(int v) { this.growthRate = v; return this; }
        /** Width of each 1×1 bottleneck convolution; 0 means 4 × growth rate. */
        public Builder bottleneckWidth(int v) { this.bottleneckWidth = v; return this; }
        /** Filters of the 7×7 stem convolution (64 in Keras). */
        public Builder stemFilters(int v) { this.stemFilters = v; return this; }
        public Builder compression(double v) { this.compression = v; return this; }
        public Builder bnEpsilon(double v) { this.bnEpsilon = v; return this; }
        public Builder bnDecay(double v) { this.bnDecay = v; return this; }
        public Builder includeTop(boolean v) { this.includeTop = v; return this; }
        public Builder lossFunction(ILossFunction v) { this.lossFunction = Objects.requireNonNull(v); return this; }
        public Builder updater(IUpdater v) { this.updater = Objects.requireNonNull(v); return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder dataType(DataType v) { this.dataType = Objects.requireNonNull(v); return this; }

        /** Validates and builds; throws {@link IllegalArgumentException} naming the bad option. */
        public DenseNetConfig build() {
            require(channels >= 1, "channels must be ≥ 1, got " + channels);
            require(classes >= 1, "classes must be ≥ 1, got " + classes);
            require(blocks.length >= 1, "blocks must name at least one dense block");
            for (int b : blocks) {
                require(b >= 1, "every dense block needs ≥ 1 layer, got " + Arrays.toString(blocks));
            }
            require(growthRate >= 1, "growthRate must be ≥ 1, got " + growthRate);
            require(bottleneckWidth >= 0, "bottleneckWidth must be ≥ 0, got " + bottleneckWidth);
            require(stemFilters >= 1, "stemFilters must be ≥ 1, got " + stemFilters);
            require(compression > 0 && compression <= 1, "compression must be in (0, 1], got " + compression);
            require(bnEpsilon > 0, "bnEpsilon must be > 0, got " + bnEpsilon);
            require(inputSize >= 1 && finalMapSize(inputSize, blocks.length) >= 1, "inputSize " + inputSize
                    + " is too small for " + blocks.length + " dense blocks (the last feature map would be empty)");
            return new DenseNetConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
