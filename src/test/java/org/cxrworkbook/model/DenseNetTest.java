package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseNetTest {

    // Keras' model.summary() for keras.applications.DenseNet121 (BN moving statistics included).
    private static final long KERAS_BASE_PARAMS = 7_037_504L;
    private static final long KERAS_FULL_PARAMS = 7_051_854L;
    private static final long KERAS_NON_TRAINABLE = 83_648L; // BN moving mean + variance

    @Test
    void densenet121ParameterCountsEqualKeras() {
        DenseNetConfig full = DenseNetConfig.densenet121();
        ComputationGraph withHead = DenseNet.build(full);
        assertEquals(KERAS_FULL_PARAMS, withHead.numParams());
        // head = 1024 × 14 weights + 14 biases
        assertEquals(1024 * 14 + 14, withHead.getLayer(DenseNet.HEAD).numParams());
        assertEquals(KERAS_FULL_PARAMS - KERAS_NON_TRAINABLE, ModelSummary.of(withHead, full.inputType()).trainableParams());

        ComputationGraph base = DenseNet.build(full.toBuilder().includeTop(false).build());
        assertEquals(KERAS_BASE_PARAMS, base.numParams());
    }

    @Test
    void densenet121HasKerasLayerGraph() {
        DenseNetConfig c = DenseNetConfig.densenet121();
        ComputationGraphConfiguration conf = DenseNet.configuration(c);
        // Keras counts 429 layers: input, 120 conv, 121 BN, 121 ReLU, 58 concat, 2 zero-pad, max-pool,
        // 3 avg-pool, global pool, dense. DL4J makes the input and the 58 concats vertices, not layers.
        assertEquals(429, conf.getVertices().size() + conf.getNetworkInputs().size());
        List<String> names = DenseNet.vertexNames(c);
        assertEquals(429, names.size());
        assertEquals(List.of("input_1", "zero_padding2d", "conv1/conv", "conv1/bn", "conv1/relu", "zero_padding2d_1",
                "pool1", "conv2_block1_0_bn", "conv2_block1_0_relu", "conv2_block1_1_conv", "conv2_block1_1_bn",
                "conv2_block1_1_relu", "conv2_block1_2_conv", "conv2_block1_concat"), names.subList(0, 14));
        assertEquals(List.of("conv5_block16_concat", "bn", "relu", "avg_pool", "predictions"),
                names.subList(424, 429));
        assertTrue(names.containsAll(List.of("pool2_bn", "pool2_relu", "pool2_conv", "pool2_pool", "pool4_pool",
                "conv3_block12_concat", "conv4_block24_concat", "conv5_block1_0_bn")));
        assertEquals(58, names.stream().filter(n -> n.endsWith("_concat")).count());
        assertEquals(120, names.stream().filter(n -> n.endsWith("conv") ).count());
        assertEquals(121, names.stream().filter(n -> n.endsWith("bn")).count());

        ComputationGraph g = DenseNet.build(c);
        assertEquals(370, g.getLayers().length);
        assertEquals(429, g.getVertices().length);
    }

    @Test
    void featureShapesFollowKeras() {
        DenseNetConfig c = DenseNetConfig.densenet121();
        InputType.InputTypeConvolutional last = (InputType.InputTypeConvolutional) DenseNet.configuration(c)
                .getLayerActivationTypes(InputType.convolutional(224, 224, 3)).get("relu");
        assertEquals(7, last.getHeight());
        assertEquals(1024, last.getChannels());
        assertEquals(7, c.featureMapSize());
        assertEquals(4, c.toBuilder().inputSize(128).build().featureMapSize());
        assertEquals(1024, c.featureChannels());
    }

    @Test
    void smallVariantRunsForwardWithOneChannel() {
        DenseNetConfig c = DenseNetConfig.small().toBuilder().channels(1).inputSize(32).classes(5).build();
        ComputationGraph g = DenseNet.build(c);
        INDArray out = g.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 32, 32));
        assertArrayEquals(new long[] {2, 5}, out.shape());
        assertTrue(out.minNumber().doubleValue() > 0 && out.maxNumber().doubleValue() < 1, "sigmoid outputs");
        // stem 16 + 2·8 = 32 → 16 → 32 → 16 → 32 → 16 → 32 channels
        assertEquals(32, c.featureChannels());
        assertEquals(32 * 5 + 5, g.getLayer(DenseNet.HEAD).numParams());
    }

    @Test
    void upToReturnsThePrefixEndingAtTheNamedLayer() {
        DenseNetConfig c = DenseNetConfig.small();
        List<String> prefix = DenseNet.upTo(c, "pool1");
        assertEquals(List.of("zero_padding2d", "conv1/conv", "conv1/bn", "conv1/relu", "zero_padding2d_1", "pool1"), prefix);
        assertEquals(DenseNet.baseVertexNames(c).size(), DenseNet.upTo(c, "avg_pool").size());
        assertThrows(IllegalArgumentException.class, () -> DenseNet.upTo(c, "conv9_block1_concat"));
    }

    @Test
    void badConfigurationIsRejectedWithTheOptionNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseNetConfig.builder().inputSize(16).build());
        assertTrue(e.getMessage().contains("inputSize 16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseNetConfig.builder().blocks(6, 0).build());
        assertThrows(IllegalArgumentException.class, () -> DenseNetConfig.builder().channels(0).build());
    }
}
