package org.cxrworkbook.model;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The layer configurations DenseNet121 is built from, in one place, so that {@link DenseNet} and the per-op
 * benchmark ({@code org.cxrworkbook.perf.ops}) build exactly the same DL4J layers.
 */
public final class DenseNetLayers {

    private DenseNetLayers() {
    }

    /** The graph-wide settings of every DenseNet graph: seed, data type, updater, Keras' initialisation, workspaces. */
    public static NeuralNetConfiguration.Builder settings(DenseNetConfig c) {
        return new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .dataType(c.dataType())
                .updater(c.updater())
                .weightInit(WeightInit.XAVIER_UNIFORM) // Keras' glorot_uniform
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE);
    }

    /** A bias-free convolution with identity activation, as Keras' DenseNet uses everywhere. */
    public static ConvolutionLayer conv(int filters, int kernel, int stride, ConvolutionMode mode) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                .hasBias(false).convolutionMode(mode).activation(Activation.IDENTITY).build();
    }

    /** The stem's 7×7 stride-2 convolution (after {@link #padding(int) padding(3)}). */
    public static ConvolutionLayer stemConv(DenseNetConfig c) {
        return conv(c.stemFilters(), 7, 2, ConvolutionMode.Truncate);
    }

    /** A dense layer's 1×1 bottleneck or a transition's 1×1 compression. */
    public static ConvolutionLayer conv1x1(int filters) {
        return conv(filters, 1, 1, ConvolutionMode.Truncate);
    }

    /** A dense layer's 3×3 convolution producing the growth-rate channels. */
    public static ConvolutionLayer conv3x3(int filters) {
        return conv(filters, 3, 1, ConvolutionMode.Same);
    }

    /** BatchNorm with Keras' epsilon and momentum. */
    public static BatchNormalization bn(DenseNetConfig c) {
        return new BatchNormalization.Builder().eps(c.bnEpsilon()).decay(c.bnDecay()).useLogStd(false).build();
    }

    /** ReLU as a layer of its own (Keras' {@code Activation('relu')}). */
    public static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /** Zero padding of {@code p} on every side (3 before the stem, 1 before its max-pool). */
    public static ZeroPaddingLayer padding(int p) {
        return new ZeroPaddingLayer.Builder(p, p).build();
    }

    /** The stem's 3×3 stride-2 max-pool (after {@link #padding(int) padding(1)}). */
    public static SubsamplingLayer stemPool() {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }

    /** A transition's 2×2 stride-2 average pool. */
    public static SubsamplingLayer transitionPool() {
        return new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }
}
