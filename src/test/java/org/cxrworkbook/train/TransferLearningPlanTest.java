package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TransferLearningPlanTest {

    private static final int SIZE = 8;

    private static Map<String, INDArray> snapshot(ComputationGraph g) {
        Map<String, INDArray> m = new HashMap<>();
        g.paramTable().forEach((k, v) -> m.put(k, v.dup()));
        return m;
    }

    private static boolean changed(Map<String, INDArray> before, ComputationGraph g, String layer) {
        boolean any = false;
        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            if (e.getKey().startsWith(layer + "_")) {
                any |= !e.getValue().equals(g.paramTable().get(e.getKey()));
            }
        }
        return any;
    }

    private static void oneStep(ComputationGraph g) {
        Trainer.fit(g, TrainerTest.iterator(16, 1, 5), null, TrainerConfig.builder().epochs(1).learningRate(1e-2)
                .progress(false).useAdam(false).restoreBest(false).build());
    }

    @Test
    void headStageFreezesTheBaseAndTrainsOnlyTheNewHead() {
        ComputationGraph base = TinyData.graph(SIZE, 1, 14, true, 1);
        TransferLearningPlan plan = TransferLearningPlan.builder().freezeUpTo("avg_pool").unfreezeFrom("conv2")
                .classes(3).learningRate(1e-2).seed(1).build();
        ComputationGraph g = plan.headStage(base);
        assertEquals(Set.of("avg_pool", "bn1", "conv1", "conv2", "relu1"), TransferLearningPlan.frozenLayers(g));
        assertEquals(8 * 3 + 3, TransferLearningPlan.trainableParams(g)); // new head: 8 pooled features → 3
        assertEquals(base.getParam("conv2_W"), g.getParam("conv2_W"));
        Map<String, INDArray> before = snapshot(g);
        oneStep(g);
        assertFalse(changed(before, g, "conv1"));
        assertFalse(changed(before, g, "bn1"), "frozen BN keeps gamma/beta and its running mean/variance");
        assertFalse(changed(before, g, "conv2"));
        assertTrue(changed(before, g, "predictions"));
        assertEquals(3, g.outputSingle(TinyData.textures(2, SIZE, 3).getFeatures()).size(1));
    }

    @Test
    void fineTuneStageUnfreezesTheTopBlocksOnly() {
        TransferLearningPlan plan = TransferLearningPlan.builder().freezeUpTo("avg_pool").unfreezeFrom("conv2")
                .classes(3).learningRate(1e-2).seed(1).build();
        ComputationGraph head = plan.headStage(TinyData.graph(SIZE, 1, 14, true, 1));
        oneStep(head);
        ComputationGraph fine = plan.fineTuneStage(head, 1e-3);
        assertEquals(Set.of("bn1", "conv1", "relu1"), TransferLearningPlan.frozenLayers(fine));
        assertArrayEquals(head.params().toFloatVector(), fine.params().toFloatVector(), 0f);
        assertEquals(1e-3, fine.getLearningRate("conv2"), 1e-12);
        Map<String, INDArray> before = snapshot(fine);
        oneStep(fine);
        assertFalse(changed(before, fine, "conv1"));
        assertFalse(changed(before, fine, "bn1"));
        assertTrue(changed(before, fine, "conv2"));
        assertTrue(changed(before, fine, "predictions"));
    }

    @Test
    void descendantsFollowTheGraph() {
        ComputationGraph g = TinyData.graph(SIZE, 1, 3, true, 1);
        assertEquals(Set.of("conv2", "avg_pool", "predictions"), TransferLearningPlan.descendants(g.getConfiguration(), "conv2"));
    }

    @Test
    void unknownVertexIsNamed() {
        TransferLearningPlan plan = TransferLearningPlan.builder().freezeUpTo("conv5_block16_concat").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan.headStage(TinyData.graph(SIZE, 1, 3, true, 1)));
        assertTrue(e.getMessage().contains("no vertex named 'conv5_block16_concat'"), e.getMessage());
    }
}
