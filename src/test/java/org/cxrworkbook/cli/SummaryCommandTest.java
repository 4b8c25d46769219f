package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

class SummaryCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new Main()).execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonGivesCountsAndOutputShapeOfTheSmallVariant() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run("summary", "--small", "--size", "32", "--channels", "1", "--classes", "5", "--json"));
        // small: blocks {2,2,2,2} → 8 convs in blocks + 3 transitions + stem = 20 convs, 21 BN, 21 ReLU,
        // 2 zero-pads, max-pool, 3 avg-pools, global pool, head = 70 layers; + input + 8 concats = 79 vertices
        assertEquals(70, j.get("layers").asInt());
        assertEquals(79, j.get("vertices").asInt());
        assertEquals("[-1,5]", j.get("output_shape").toString());
        // head 32·5 + 5; stem 7·7·1·16 = 784
        long total = j.get("params_total").asLong();
        long trainable = j.get("params_trainable").asLong();
        assertTrue(total > trainable);
        assertEquals("conv1/conv", j.get("rows").get(2).get("name").asText());
        assertEquals(784, j.get("rows").get(2).get("params").asLong());
    }

    @Test
    void tableEndsWithKerasCountsForDenseNet121Base() {
        String out = run("summary", "--no-top");
        assertTrue(out.contains("Total params: 7,037,504"), out.substring(Math.max(0, out.length() - 300)));
        assertTrue(out.contains("Trainable params: 6,953,856"));
        assertTrue(out.contains("Non-trainable params: 83,648"));
        assertTrue(out.contains("Layers: 369, vertices: 428"));
    }

    @Test
    void savedModelGivesTheSameFieldsAsAFreshBuild(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.cxrworkbook.model.DenseNetConfig config = org.cxrworkbook.model.DenseNetConfig.small().toBuilder()
                .inputSize(32).channels(1).classes(5).build();
        java.nio.file.Path zip = dir.resolve("model.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(org.cxrworkbook.model.DenseNet.build(config), zip.toFile(), false);
        JsonNode fresh = new ObjectMapper().readTree(run("summary", "--small", "--size", "32", "--channels", "1",
                "--classes", "5", "--json"));
        JsonNode saved = new ObjectMapper().readTree(run("summary", "--model", zip.toString(), "--size", "32", "--json"));
        for (String field : new String[] {"params_total", "params_trainable", "layers", "vertices", "output_shape"}) {
            assertEquals(fresh.get(field), saved.get(field), field);
        }
        assertEquals(fresh.get("rows").size(), saved.get("rows").size());
    }
}
