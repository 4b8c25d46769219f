package org.cxrworkbook.explain;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A small double-precision graph with DenseNet121's tail names, for Grad-CAM tests. */
final class SmallGraphs {

    static final int SIZE = 16;
    static final int CLASSES = 14;

    private SmallGraphs() {
    }

    /** conv stem → two branches → MergeVertex conv5_block16_concat → bn → relu → avg_pool → predictions. */
    static ComputationGraph denseNetTail(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                .addLayer("conv1/conv", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4)
                        .activation(Activation.TANH).build(), "input")
                .addLayer("conv5_block16_1_conv", new ConvolutionLayer.Builder(3, 3).nOut(3)
                        .activation(Activation.TANH).build(), "conv1/conv")
                .addVertex("conv5_block16_concat", new MergeVertex(), "conv1/conv", "conv5_block16_1_conv")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv5_block16_concat")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("avg_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(CLASSES)
                        .activation(Activation.SIGMOID).build(), "avg_pool")
                .setOutputs("predictions")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, 1))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        // Non-trivial running statistics, so an inference-mode BN differs clearly from batch statistics.
        Nd4j.getRandom().setSeed(seed);
        var bn = g.getLayer("bn");
        long c = bn.getParam("gamma").length();
        bn.setParam("gamma", Nd4j.rand(DataType.DOUBLE, 1, c).mul(1.5).add(0.5));
        bn.setParam("beta", Nd4j.rand(DataType.DOUBLE, 1, c).sub(0.5));
        bn.setParam("mean", Nd4j.rand(DataType.DOUBLE, 1, c).sub(0.5).mul(0.4));
        if (bn.paramTable().containsKey("var")) {
            bn.setParam("var", Nd4j.rand(DataType.DOUBLE, 1, c).mul(0.5).add(0.2));
        } else {
            bn.setParam("log10stdev", Nd4j.rand(DataType.DOUBLE, 1, c).mul(0.4).sub(0.3));
        }
        return g;
    }

    /** A seeded random image [1, 1, SIZE, SIZE]. */
    static INDArray image(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, 1, 1, SIZE, SIZE);
    }
}
