package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class OneDnnHelpersTest {

    @Test
    void shimAnswersTheReflectiveCheckDl4jMakes() throws Exception {
        // exactly what BaseMKLDNNHelper.mklDnnEnabled() does (read with javap -c)
        Class<?> env = Class.forName("org.nd4j.nativeblas.Nd4jCpu$Environment");
        Object instance = env.getMethod("getInstance").invoke(null);
        Object answer = env.getMethod("isUseMKLDNN").invoke(instance);
        assertEquals(Boolean.TRUE, answer, "the onednn nd4j-native build is on the class path");
    }

    @Test
    void convBatchNormAndPoolingLayersUseTheOneDnnHelpers() {
        DenseNetConfig c = DenseNetConfig.small().toBuilder().inputSize(32).build();
        ComputationGraph g = DenseNet.build(c);
        assertTrue(OneDnnHelpers.active());
        Nd4j.getRandom().setSeed(1);
        g.fit(new MultiDataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32),
                Nd4j.rand(DataType.FLOAT, 2, 14).gt(0.5).castTo(DataType.FLOAT)));

        assertHelper("MKLDNNConvHelper", ((ConvolutionLayer) g.getLayer("conv1/conv")).getHelper());
        assertHelper("MKLDNNConvHelper", ((ConvolutionLayer) g.getLayer("conv2_block1_2_conv")).getHelper());
        // BatchNorm: our two-pass training helper, with DL4J's oneDNN helper kept for inference
        for (String bn : new String[] {"conv1/bn", "bn"}) {
            LayerHelper h = ((BatchNormalization) g.getLayer(bn)).getHelper();
            assertHelper("TwoPassBatchNorm", h);
            assertHelper("MKLDNNBatchNormHelper", ((TwoPassBatchNorm) h).fallback());
        }
        assertHelper("MKLDNNSubsamplingHelper", ((SubsamplingLayer) g.getLayer("pool1")).getHelper());
        assertHelper("MKLDNNSubsamplingHelper", ((SubsamplingLayer) g.getLayer("pool2_pool")).getHelper());
        // ReLU (ActivationLayer), ZeroPaddingLayer, GlobalPoolingLayer and the MergeVertex concat have
        // no helper mechanism in DL4J: they always run as plain ND4J ops.
    }

    private static void assertHelper(String expected, LayerHelper helper) {
        assertNotNull(helper, "no helper: layer runs DL4J's built-in Java implementation");
        assertEquals(expected, helper.getClass().getSimpleName());
    }
}
