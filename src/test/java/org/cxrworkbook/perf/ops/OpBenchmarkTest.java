package org.cxrworkbook.perf.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrworkbook.model.engine.Dnnl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/** oneDNN called directly against DL4J's layers on the same data, at small DenseNet-like shapes. */
class OpBenchmarkTest {

    static List<OpCase> cases() {
        return List.of(
                new OpCase("t", "conv1x1", OpCase.Kind.CONV, 4, 48, 6, 32, 1, 1, 0, 1),
                new OpCase("t", "conv3x3", OpCase.Kind.CONV, 4, 32, 6, 16, 3, 1, 1, 1),
                new OpCase("t", "conv7x7 s2", OpCase.Kind.CONV, 2, 3, 15, 16, 7, 2, 3, 1),
                new OpCase("t", "bn+relu", OpCase.Kind.BN_RELU, 4, 48, 5, 48, 0, 1, 0, 1),
                new OpCase("t", "bn+relu nchw", OpCase.Kind.BN_RELU_NCHW, 4, 40, 5, 40, 0, 1, 0, 1),
                new OpCase("t", "maxpool", OpCase.Kind.MAX_POOL, 2, 16, 9, 16, 3, 2, 1, 1),
                new OpCase("t", "avgpool", OpCase.Kind.AVG_POOL, 2, 32, 6, 32, 2, 2, 0, 1),
                new OpCase("t", "concat", OpCase.Kind.CONCAT, 2, 32, 5, 16, 0, 1, 0, 1),
                new OpCase("t", "dense layer", OpCase.Kind.DENSE_LAYER, 4, 48, 6, 16, 3, 1, 1, 1));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void oneDnnMatchesDl4j(OpCase op) {
        OpRunner.OpData data = OpBenchmark.randomData(op, 7);
        OpRunner.OpResult dl4j = Dl4jOp.create(op).check(data);
        OpRunner.OpResult dnnl = DnnlOps.create(new Dnnl(), op).check(data);
        Map.Entry<String, Double> worst = OpBenchmark.compare(dnnl, dl4j);
        assertTrue(worst.getValue() <= OpBenchmark.TOLERANCE, op.key() + ": " + worst);
        // the comparison covers output, every input gradient and every parameter gradient
        assertEquals(op.kind() == OpCase.Kind.CONCAT ? 2 : 1, dnnl.inputGradients().size());
        assertEquals(data.params().keySet(), dnnl.paramGradients().keySet());
    }

    /** Mutation: oneDNN given a slightly different weight / scale / input must fail the same comparison. */
    @ParameterizedTest
    @MethodSource("cases")
    void theCheckFailsOnAChangedInput(OpCase op) {
        OpRunner.OpData data = OpBenchmark.randomData(op, 7);
        OpRunner.OpResult dl4j = Dl4jOp.create(op).check(data);
        Map<String, float[]> params = new LinkedHashMap<>();
        data.params().forEach((k, v) -> params.put(k, v.clone()));
        List<float[]> inputs = new ArrayList<>();
        data.inputs().forEach(v -> inputs.add(v.clone()));
        String weight = params.keySet().stream().filter(k -> k.endsWith("/W")).findFirst().orElse(null);
        String gamma = params.keySet().stream().filter(k -> k.endsWith("/gamma")).findFirst().orElse(null);
        if (weight != null) {
            params.get(weight)[3] *= 1.5f; // in a dense layer the BN after conv1 absorbs much of a small change
        } else if (gamma != null) {
            params.get(gamma)[1] *= 1.01f;
        } else {
            float[] x = inputs.get(inputs.size() - 1);
            x[x.length / 2] += 0.05f; // the max-pool input is ≥ 0, so this element stays the window's maximum or not
            x[0] += 5f; // and this one becomes the maximum of its window
        }
        OpRunner.OpData mutated = new OpRunner.OpData(inputs, params, data.outputGradient());
        OpRunner.OpResult dnnl = DnnlOps.create(new Dnnl(), op).check(mutated);
        Map.Entry<String, Double> worst = OpBenchmark.compare(dnnl, dl4j);
        assertTrue(worst.getValue() > OpBenchmark.TOLERANCE, op.key() + " mutated still within tolerance: " + worst);
    }

    @Test
    void relativeErrorIsMaxDifferenceOverMaxReference() {
        // max |a−b| = 0.5 (second element), max |b| = 4 → 0.125
        assertEquals(0.125, OpBenchmark.relativeError(new float[] {1, 2.5f, -4}, new float[] {1, 2, -4}), 1e-12);
        assertEquals(0.0, OpBenchmark.relativeError(new float[] {0, 0}, new float[] {0, 0}));
    }

    @Test
    void oneOpenMpRuntimeServesBothLibraries() {
        Nd4j.create(1);
        OpCase op = cases().get(0);
        DnnlOps.create(new Dnnl(), op).check(OpBenchmark.randomData(op, 1));
        Set<String> omp = NativeCoexistence.mapped("libgomp", "libiomp", "libomp");
        assertEquals(1, omp.size(), "OpenMP runtimes mapped: " + omp);
        assertTrue(omp.iterator().next().contains("nd4j-native"), "the runtime is ND4J's: " + omp);
        assertEquals(2, NativeCoexistence.mapped("libdnnl", "libjnidnnl").size());
    }
}
