package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.cxrworkbook.data.DataException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KerasWeightsTest {

    @TempDir
    Path dir;

    static DenseNetConfig small(int channels) {
        return DenseNetConfig.small().toBuilder().inputSize(32).channels(channels).classes(3).build();
    }

    /** Gives every BN layer distinct running statistics, so that a lost mean/variance shows in the outputs. */
    static void randomiseBatchNormStatistics(ComputationGraph g, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Layer l : g.getLayers()) {
            Map<String, INDArray> p = l.paramTable();
            if (p.containsKey("var")) {
                p.get("mean").assign(Nd4j.randn(DataType.FLOAT, p.get("mean").shape()).mul(0.1));
                p.get("var").assign(Nd4j.rand(DataType.FLOAT, p.get("var").shape()).add(0.5));
                p.get("gamma").assign(Nd4j.rand(DataType.FLOAT, p.get("gamma").shape()).add(0.5));
                p.get("beta").assign(Nd4j.randn(DataType.FLOAT, p.get("beta").shape()).mul(0.1));
            }
        }
    }

    @Test
    void roundTripGivesIdenticalParametersAndOutputs() throws Exception {
        ComputationGraph source = DenseNet.build(small(3).toBuilder().seed(1).build());
        randomiseBatchNormStatistics(source, 7);
        Path h5 = dir.resolve("small.h5");
        KerasWeights.save(source, h5);

        ComputationGraph target = DenseNet.build(small(3).toBuilder().seed(2).build());
        assertNotEquals(source.params(), target.params());
        KerasWeights.ImportReport report = KerasWeights.load(target, h5);
        assertEquals(source.getLayers().length - countWithoutParams(source), report.imported().size());
        assertEquals(source.params(), target.params());

        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertEquals(source.outputSingle(x), target.outputSingle(x));
    }

    private static long countWithoutParams(ComputationGraph g) {
        return Arrays.stream(g.getLayers()).filter(l -> l.numParams() == 0).count();
    }

    @Test
    void oneChannelModelSumsTheRgbKernelAndAnswersGreyAsRgb() throws Exception {
        ComputationGraph rgb = DenseNet.build(small(3));
        randomiseBatchNormStatistics(rgb, 3);
        Path h5 = dir.resolve("rgb.h5");
        KerasWeights.save(rgb, h5);

        ComputationGraph grey = DenseNet.build(small(1).toBuilder().seed(9).build());
        KerasWeights.ImportReport report = KerasWeights.load(grey, h5);
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("summed")), report.toString());
        INDArray w3 = rgb.getLayer("conv1/conv").getParam("W");
        INDArray w1 = grey.getLayer("conv1/conv").getParam("W");
        assertEquals(w3.getDouble(5, 0, 2, 4) + w3.getDouble(5, 1, 2, 4) + w3.getDouble(5, 2, 2, 4),
                w1.getDouble(5, 0, 2, 4), 1e-5);

        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32);
        INDArray x3 = Nd4j.concat(1, x, x, x);
        INDArray a = grey.outputSingle(x);
        INDArray b = rgb.outputSingle(x3);
        assertTrue(a.equalsWithEps(b, 1e-4), a + " vs " + b);
    }

    @Test
    void baseWithoutHeadLeavesTheHeadAsInitialised() throws Exception {
        ComputationGraph base = DenseNet.build(small(3).toBuilder().includeTop(false).build());
        Path h5 = dir.resolve("notop.h5");
        KerasWeights.save(base, h5);
        ComputationGraph full = DenseNet.build(small(3).toBuilder().seed(5).build());
        INDArray headBefore = full.getLayer(DenseNet.HEAD).params().dup();
        KerasWeights.ImportReport report = KerasWeights.load(full, h5);
        assertEquals(headBefore, full.getLayer(DenseNet.HEAD).params());
        assertEquals(base.getLayer("conv1/conv").params(), full.getLayer("conv1/conv").params());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("no Dense head")), report.toString());
    }

    @Test
    void missingAndMisShapedLayersAreAllListedAndNothingChanges() throws Exception {
        // blocks {2,2,2,1} lacks conv5_block2_*; growth 4 makes every conv/BN in the blocks the wrong shape
        ComputationGraph other = DenseNet.build(small(3).toBuilder().blocks(2, 2, 2, 1).build());
        Path h5 = dir.resolve("shorter.h5");
        KerasWeights.save(other, h5);
        ComputationGraph g = DenseNet.build(small(3));
        INDArray before = g.params().dup();
        DataException e = assertThrows(DataException.class, () -> KerasWeights.load(g, h5));
        for (String missing : new String[] {"conv5_block2_0_bn", "conv5_block2_1_conv", "conv5_block2_1_bn", "conv5_block2_2_conv"}) {
            assertTrue(e.problems().stream().anyMatch(p -> p.message().contains("'" + missing + "' missing")), missing);
        }
        // conv5_block1 exists in both but the final BN sees 24 instead of 32 channels
        assertTrue(e.problems().stream().anyMatch(p -> p.message().startsWith("layer 'bn': gamma has shape [24]")),
                e.getMessage());
        assertTrue(e.getMessage().contains(h5.toString()));
        assertEquals(before, g.params(), "a failed import must leave the graph untouched");
    }

    @Test
    void weightsOfAnotherArchitectureAreRecognised() throws Exception {
        ComputationGraph resnetLike = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("res2a_branch2a", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "input_1")
                .addLayer("fc1000", new OutputLayer.Builder().nOut(2).build(), "res2a_branch2a")
                .setOutputs("fc1000").build());
        resnetLike.init();
        Path h5 = dir.resolve("resnet.h5");
        KerasWeights.save(resnetLike, h5);
        DataException e = assertThrows(DataException.class, () -> KerasWeights.load(DenseNet.build(small(3)), h5));
        assertTrue(e.problems().get(0).message().contains("another architecture"), e.getMessage());
        assertTrue(e.problems().get(0).message().contains("res2a_branch2a"), e.getMessage());
    }

    @Test
    void truncatedOrNonHdf5FilesGiveAClearError() throws Exception {
        ComputationGraph g = DenseNet.build(small(3));
        Path h5 = dir.resolve("full.h5");
        KerasWeights.save(g, h5);
        byte[] bytes = Files.readAllBytes(h5);
        Path cut = dir.resolve("cut.h5");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class, () -> KerasWeights.load(g, cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path text = dir.resolve("notes.h5");
        Files.writeString(text, "not hdf5");
        DataException e2 = assertThrows(DataException.class, () -> KerasWeights.load(g, text));
        assertTrue(e2.getMessage().contains("not a readable HDF5"), e2.getMessage());
        assertFalse(e2.problems().isEmpty());
    }
}
