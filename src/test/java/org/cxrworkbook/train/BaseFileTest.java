package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The float16 base file: half the bytes, float32 again on load, outputs within tolerance, wrong models refused. */
class BaseFileTest {

    @TempDir
    Path dir;

    private static DenseNetConfig small(int size) {
        return DenseNetConfig.small().toBuilder().inputSize(size).seed(3).build();
    }

    @Test
    void float16BaseRestoresFloat32WeightsAndOutputsWithinTolerance() {
        ComputationGraph trained = DenseNet.build(small(32));
        // BN running statistics away from their initial 0/1, as in a trained model
        trained.getLayer("bn").paramTable().get("mean").assign(Nd4j.rand(DataType.FLOAT, 1, 64).muli(0.1));
        Path model = CheckpointStore.writeModel(trained, dir.resolve("model.zip"));
        Path base = dir.resolve("weights").resolve("base.zip");
        BaseFile.Export e = BaseFile.export(model, base);
        assertTrue(BaseFile.isBase(base));
        assertEquals(trained.numParams(), ((Number) BaseFile.manifest(base).get("params")).longValue());
        assertEquals(BaseFile.sha256(model), BaseFile.manifest(base).get("source_sha256"));

        ComputationGraph restored = BaseFile.read(base);
        assertEquals(DataType.FLOAT, restored.params().dataType());
        INDArray w = trained.params();
        INDArray r = restored.params();
        // float16 has an 11-bit significand: relative rounding error at most 2^-11 for normal values
        double maxRel = 0;
        for (int i = 0; i < w.length(); i++) {
            double a = w.getDouble(i);
            if (Math.abs(a) > 1e-4) {
                maxRel = Math.max(maxRel, Math.abs(r.getDouble(i) - a) / Math.abs(a));
            }
        }
        assertTrue(maxRel <= Math.pow(2, -11) + 1e-9, "max relative weight error " + maxRel);

        ComputationGraph target = DenseNet.build(small(32));
        StartingWeights.load(target, base, false);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32).muli(2).subi(1);
        INDArray p32 = trained.output(false, x)[0];
        INDArray p16 = target.output(false, x)[0];
        double maxDiff = p32.sub(p16).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-3, "probabilities differ by " + maxDiff + " (tolerance 1e-3)");
        // float16 parameters: clearly smaller than the same model written as float32 without updater state
        Path plain = dir.resolve("plain32.zip");
        try {
            org.deeplearning4j.util.ModelSerializer.writeModel(trained, plain.toFile(), false);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        assertTrue(e.bytes() < 0.7 * sizeOf(plain), e.bytes() + " bytes vs float32 " + sizeOf(plain));
    }

    @Test
    void aBaseOfAnotherArchitectureIsRefusedListingTheLayers() {
        ComputationGraph other = DenseNet.build(small(32).toBuilder().growthRate(4).build());
        Path model = CheckpointStore.writeModel(other, dir.resolve("other.zip"));
        ComputationGraph target = DenseNet.build(small(32));
        TrainingException e = assertThrows(TrainingException.class, () -> StartingWeights.load(target, model, true));
        assertTrue(e.getMessage().contains("does not fit") && e.getMessage().contains("conv2_block1_2_conv"), e.getMessage());
        assertTrue(e.getMessage().contains("pool2_conv (W [12, 24, 1, 1] in the base, [16, 32, 1, 1] in the model)"), e.getMessage());
    }

    @Test
    void aNewHeadIsKeptWhenAsked() {
        ComputationGraph trained = DenseNet.build(small(32));
        Path model = CheckpointStore.writeModel(trained, dir.resolve("m.zip"));
        ComputationGraph fresh = DenseNet.build(small(32).toBuilder().seed(99).build());
        INDArray head = fresh.getLayer(DenseNet.HEAD).params().dup();
        StartingWeights.load(fresh, model, true);
        assertEquals(head, fresh.getLayer(DenseNet.HEAD).params());
        assertEquals(trained.getLayer("conv1/conv").params(), fresh.getLayer("conv1/conv").params());
        StartingWeights.load(fresh, model, false);
        assertEquals(trained.getLayer(DenseNet.HEAD).params(), fresh.getLayer(DenseNet.HEAD).params());
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
