package org.cxrworkbook.perf;

import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the DenseNet of a {@link DenseNetConfig} as a SameDiff graph (NCHW), op for op as Keras' DenseNet121, every
 * variable prefixed with its Keras layer name ({@code conv1/conv/kernel}, {@code conv2_block1_0_bn/gamma}, …).
 *
 * <p>Parameters: convolution kernels are stored YXIO ({@code [kH, kW, in, out]}, Keras' own layout); each batch
 * normalisation has trainable {@code gamma}, {@code beta} and constant {@code moving_mean}, {@code moving_variance}
 * (counted as Keras counts them, non-trainable). In {@link BatchNormMode#TRAINING} the normalisation uses the batch's
 * mean and variance over N, H, W and the moving statistics are not updated (this graph serves the speed
 * comparison with the ComputationGraph; it is not the project's trainer). In {@link BatchNormMode#INFERENCE} it uses
 * the moving statistics, like {@code ComputationGraph.output(false, …)}.
 */
public final class SameDiffDenseNet {

    /** Placeholder of the NCHW input batch. */
    public static final String INPUT = "input";
    /** Placeholder of the multi-hot labels {@code [batch, classes]} (training graphs only). */
    public static final String LABEL = "label";
    /** The last batch normalisation, as in Keras. */
    public static final String LAST_BN = "bn";
    /** Global average pooling, {@code [batch, features]}. */
    public static final String FEATURES = "avg_pool";
    /** The head's logits (before the sigmoid). */
    public static final String LOGITS = "predictions/logits";
    /** The head's sigmoid probabilities. */
    public static final String HEAD = "predictions";
    /** Mean sigmoid cross-entropy from the logits (PyTorch's BCEWithLogitsLoss). */
    public static final String LOSS = "loss";

    /** Which statistics the batch normalisations use. */
    public enum BatchNormMode {
        /** The batch's own mean and variance over N, H, W (Keras/PyTorch training). */
        TRAINING,
        /** The stored moving mean and variance (inference). */
        INFERENCE
    }

    private final SameDiff sd;
    private final DenseNetConfig config;
    private final BatchNormMode mode;
    private int channels;

    private SameDiffDenseNet(DenseNetConfig config, BatchNormMode mode) {
        this.sd = SameDiff.create();
        this.config = config;
        this.mode = mode;
    }

    /**
     * A graph with the head, the label placeholder and the loss, BN in training mode, and a training configuration
     * with the config's updater, so that {@code sd.fit(new DataSet(x, y))} trains it.
     */
    public static SameDiff forTraining(DenseNetConfig config) {
        if (!config.includeTop()) {
            throw new IllegalArgumentException("a training graph needs the head (includeTop = true): " + config);
        }
        SameDiff sd = build(config, BatchNormMode.TRAINING);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(config.updater())
                .dataSetFeatureMapping(INPUT)
                .dataSetLabelMapping(LABEL)
                .build());
        return sd;
    }

    /** Builds the graph: base, then head and loss when {@code config.includeTop()}; weights Glorot-uniform, seeded. */
    public static SameDiff build(DenseNetConfig config, BatchNormMode mode) {
        return new SameDiffDenseNet(config, mode).assemble();
    }

    private SameDiff assemble() {
        Nd4j.getRandom().setSeed(config.seed());
        SDVariable x = sd.placeHolder(INPUT, config.dataType(), -1, config.channels(), config.inputSize(),
                config.inputSize());
        x = pad("zero_padding2d", x, 3);
        x = conv("conv1/conv", x, config.channels(), config.stemFilters(), 7, 2, PaddingMode.VALID);
        x = bnRelu("conv1/bn", "conv1/relu", x, config.stemFilters());
        x = pad("zero_padding2d_1", x, 1);
        x = sd.cnn.maxPooling2d("pool1", x, pooling(3, Pooling2D.Pooling2DType.MAX));

        channels = config.stemFilters();
        int[] blocks = config.blocks();
        for (int b = 0; b < blocks.length; b++) {
            String stage = "conv" + (b + 2);
            for (int l = 1; l <= blocks[b]; l++) {
                x = convBlock(stage + "_block" + l, x);
            }
            if (b < blocks.length - 1) {
                x = transition("pool" + (b + 2), x);
            }
        }
        x = bnRelu(LAST_BN, "relu", x, channels);
        SDVariable features = sd.mean(FEATURES, x, 2, 3);
        if (config.includeTop()) {
            head(features);
        }
        return sd;
    }

    private SDVariable convBlock(String name, SDVariable x) {
        SDVariable y = bnRelu(name + "_0_bn", name + "_0_relu", x, channels);
        y = conv(name + "_1_conv", y, channels, config.bottleneckWidth(), 1, 1, PaddingMode.VALID);
        y = bnRelu(name + "_1_bn", name + "_1_relu", y, config.bottleneckWidth());
        y = conv(name + "_2_conv", y, config.bottleneckWidth(), config.growthRate(), 3, 1, PaddingMode.SAME);
        channels += config.growthRate();
        return sd.concat(name + "_concat", 1, x, y); // Keras: Concatenate([x, x1])
    }

    private SDVariable transition(String name, SDVariable x) {
        SDVariable y = bnRelu(name + "_bn", name + "_relu", x, channels);
        int out = (int) Math.floor(channels * config.compression());
        y = conv(name + "_conv", y, channels, out, 1, 1, PaddingMode.VALID);
        channels = out;
        return sd.cnn.avgPooling2d(name + "_pool", y, pooling(2, Pooling2D.Pooling2DType.AVG));
    }

    private void head(SDVariable features) {
        SDVariable kernel = sd.var(HEAD + "/kernel", glorotUniform(channels, config.classes(), channels, config.classes()));
        SDVariable bias = sd.var(HEAD + "/bias", Nd4j.zeros(config.dataType(), config.classes()));
        SDVariable logits = sd.mmul(LOGITS, features, kernel).add(bias);
        sd.nn.sigmoid(HEAD, logits);
        SDVariable label = sd.placeHolder(LABEL, config.dataType(), -1, config.classes());
        // BCE with logits z, labels y, stable form: max(z, 0) − z·y + log(1 + e^−|z|), averaged over all entries
        SDVariable perEntry = sd.nn.relu(logits, 0.0).sub(logits.mul(label))
                .add(sd.math.log1p(sd.math.exp(sd.math.abs(logits).neg())));
        sd.mean(LOSS, perEntry);
        sd.setLossVariables(LOSS);
    }

    private SDVariable pad(String name, SDVariable x, int p) {
        SDVariable padding = sd.constant(name + "/paddings",
                Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {p, p}, {p, p}}));
        return sd.nn.pad(name, x, padding, PadMode.CONSTANT, 0.0);
    }

    private SDVariable conv(String name, SDVariable x, int in, int out, int k, int stride, PaddingMode padding) {
        SDVariable kernel = sd.var(name + "/kernel", glorotUniform(k * k * in, k * k * out, k, k, in, out));
        return sd.cnn.conv2d(name, x, kernel, Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(padding).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build());
    }

    private static Pooling2DConfig pooling(int k, Pooling2D.Pooling2DType type) {
        return Pooling2DConfig.builder().kH(k).kW(k).sH(2).sW(2).type(type).paddingMode(PaddingMode.VALID)
                .isNHWC(false).build();
    }

    /** Batch normalisation followed by ReLU (see {@link #batchNorm}). */
    private SDVariable bnRelu(String bnName, String reluName, SDVariable x, int c) {
        return sd.nn.relu(reluName, batchNorm(bnName, x, c), 0.0);
    }

    /*
     * Inference: the fused batchnorm op (libnd4j runs it through oneDNN). Training: y = x·s + t with
     * s = γ/√(σ² + ε), t = β − μ·s over the batch's μ and σ² = E[x²] − μ², written with elementwise ops because two
     * M2.1 ops lose an argument in the copy of the graph that SameDiff differentiates: the fused batchnorm its axis
     * ("Invalid axis argument: axis must be specified and length > 0. Got null" when the gradient is built), and
     * sd.variance its biasCorrected = false (the training pass then divides by n − 1 and the gradients disagree with
     * finite differences; see SameDiffDenseNetTest).
     */
    private SDVariable batchNorm(String name, SDVariable x, int c) {
        DataType t = config.dataType();
        SDVariable gamma = sd.var(name + "/gamma", Nd4j.ones(t, c));
        SDVariable beta = sd.var(name + "/beta", Nd4j.zeros(t, c));
        SDVariable movingMean = sd.constant(name + "/moving_mean", Nd4j.zeros(t, c));
        SDVariable movingVariance = sd.constant(name + "/moving_variance", Nd4j.ones(t, c));
        if (mode == BatchNormMode.INFERENCE) {
            return sd.nn.batchNorm(name, x, movingMean, movingVariance, gamma, beta, config.bnEpsilon(), 1);
        }
        SDVariable mean = sd.mean(name + "/batch_mean", x, true, 0, 2, 3);
        // Σx² as one reduction (its gradient is a single op; square + mean cost a full-size power derivative more)
        SDVariable meanOfSquares = sd.squaredNorm(x, true, 0, 2, 3).div(perChannelCount(x));
        SDVariable variance = sd.math.sub(name + "/batch_variance", meanOfSquares, sd.math.square(mean));
        SDVariable scale = sd.math.rsqrt(variance.add(config.bnEpsilon())).mul(gamma.reshape(1, c, 1, 1));
        SDVariable shift = beta.reshape(1, c, 1, 1).sub(mean.mul(scale));
        return sd.math.add(name, x.mul(scale), shift);
    }

    /** N·H·W of an NCHW activation, computed from its runtime shape (the batch size is a placeholder dimension). */
    private SDVariable perChannelCount(SDVariable x) {
        SDVariable shape = x.shape().castTo(config.dataType());
        return shape.get(SDIndex.point(0)).mul(shape.get(SDIndex.point(2))).mul(shape.get(SDIndex.point(3)));
    }

    private INDArray glorotUniform(long fanIn, long fanOut, long... shape) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return Nd4j.rand(config.dataType(), shape).muli(2 * limit).subi(limit);
    }

    /**
     * Copies every parameter of a ComputationGraph built by {@link DenseNet} from the same configuration into
     * {@code sd}, by layer name: convolution kernels OIHW → YXIO, BN gamma/beta/mean/variance, head kernel and bias.
     * Throws {@link IllegalArgumentException} naming the first layer or shape that does not match.
     */
    public static void copyWeights(ComputationGraph graph, SameDiff sd) {
        for (Layer layer : graph.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            String name = conf.getLayerName();
            Map<String, INDArray> p = layer.paramTable();
            if (conf instanceof ConvolutionLayer) {
                assign(sd, name + "/kernel", p.get("W").permute(2, 3, 1, 0));
            } else if (conf instanceof BatchNormalization) {
                assign(sd, name + "/gamma", p.get("gamma"));
                assign(sd, name + "/beta", p.get("beta"));
                assign(sd, name + "/moving_mean", p.get("mean"));
                assign(sd, name + "/moving_variance", p.get("var"));
            } else if (conf instanceof OutputLayer) {
                assign(sd, HEAD + "/kernel", p.get("W"));
                assign(sd, HEAD + "/bias", p.get("b"));
            } else if (!p.isEmpty()) {
                throw new IllegalArgumentException("layer " + name + " has parameters " + p.keySet()
                        + " that SameDiffDenseNet does not know");
            }
        }
    }

    private static void assign(SameDiff sd, String name, INDArray value) {
        SDVariable v = sd.getVariable(name);
        if (v == null) {
            throw new IllegalArgumentException("the SameDiff graph has no variable " + name);
        }
        INDArray target = v.getArr();
        if (target.length() != value.length()) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(target.shape()) + " cannot take "
                    + Arrays.toString(value.shape()));
        }
        target.assign(value.reshape(target.shape()));
    }

    /** Trainable parameters (SameDiff variables): kernels, BN gamma/beta, head kernel and bias. */
    public static long trainableParameterCount(SameDiff sd) {
        return sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .mapToLong(v -> v.getArr().length()).sum();
    }

    /** All parameters as Keras counts them: the trainable ones plus every BN's moving mean and variance. */
    public static long parameterCount(SameDiff sd) {
        return trainableParameterCount(sd) + movingStatistics(sd).values().stream().mapToLong(INDArray::length).sum();
    }

    /** The BN moving statistics by name ({@code <layer>/moving_mean}, {@code <layer>/moving_variance}). */
    public static Map<String, INDArray> movingStatistics(SameDiff sd) {
        Map<String, INDArray> stats = new TreeMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.CONSTANT
                    && (v.name().endsWith("/moving_mean") || v.name().endsWith("/moving_variance"))) {
                stats.put(v.name(), v.getArr());
            }
        }
        return stats;
    }
}
