package org.cxrworkbook.perf.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class OpCaseTest {

    private static double counted(List<OpCase> ops, Predicate<OpCase> which) {
        return ops.stream().filter(which).mapToDouble(OpCase::count).sum();
    }

    @Test
    void weightedCountsGiveKerasLayerCounts() {
        List<OpCase> ops = OpCase.densenet121(224, 8);
        // Keras' DenseNet121: 120 convolutions, 121 BatchNorm (+ReLU), 58 concatenations, 1 max-pool, 3 average pools
        assertEquals(120, counted(ops, o -> o.kind() == OpCase.Kind.CONV));
        assertEquals(121, counted(ops, o -> o.kind() == OpCase.Kind.BN_RELU));
        assertEquals(58, counted(ops, o -> o.kind() == OpCase.Kind.CONCAT));
        assertEquals(1, counted(ops, o -> o.kind() == OpCase.Kind.MAX_POOL));
        assertEquals(3, counted(ops, o -> o.kind() == OpCase.Kind.AVG_POOL));
    }

    @Test
    void shapesAt224AreDenseNet121s() {
        Map<String, OpCase> ops = new java.util.HashMap<>();
        for (OpCase o : OpCase.densenet121(224, 8)) {
            ops.put(o.key(), o);
        }
        OpCase stem = ops.get("stem/conv7x7 s2");
        assertEquals(3, stem.channels());
        assertEquals(112, stem.outSide());
        assertEquals(56, ops.get("stem/maxpool3x3 s2").outSide());
        // block widths: 64 + 32·(L−1) at the widest layer input; sides 56, 28, 14, 7
        int[][] expect = {{64, 224, 56}, {128, 480, 28}, {256, 992, 14}, {512, 992, 7}};
        for (int b = 0; b < 4; b++) {
            OpCase narrow = ops.get("block" + (b + 1) + "/conv1x1@" + expect[b][0]);
            OpCase wide = ops.get("block" + (b + 1) + "/conv1x1@" + expect[b][1]);
            assertEquals(expect[b][2], narrow.side());
            assertEquals(128, wide.outChannels());
            assertEquals(expect[b][1] + 32, ops.get("block" + (b + 1) + "/concat@" + expect[b][1]).outputChannels());
        }
        assertEquals(512, ops.get("transition3/conv1x1 1024→512").outChannels());
        assertEquals(7, ops.get("transition3/avgpool2x2").outSide());
        assertEquals(1024, ops.get("head/bn+relu@1024").channels());
    }

    @Test
    void sidesAt128() {
        List<OpCase> ops = OpCase.densenet121(128, 8);
        assertEquals(64, ops.get(0).outSide());
        assertEquals(4, ops.stream().filter(o -> o.key().startsWith("block4/")).findFirst().orElseThrow().side());
    }
}
