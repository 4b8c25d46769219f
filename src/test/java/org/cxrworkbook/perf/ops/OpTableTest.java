package org.cxrworkbook.perf.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class OpTableTest {

    @Test
    void totalsWeighEachOpByItsCount() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode java = m.readTree("{\"batch\":8,\"ops\":["
                + "{\"key\":\"block1/conv1x1@64\",\"kind\":\"CONV\",\"count\":3,\"shape\":\"64x56x56->128x56x56\","
                + "\"dl4j_fwd_ms\":10,\"dl4j_bwd_ms\":20,\"dnnl_fwd_ms\":2,\"dnnl_bwd_ms\":4,\"max_rel_err\":0},"
                + "{\"key\":\"block1/concat@64\",\"kind\":\"CONCAT\",\"count\":0.5,\"shape\":\"64x56x56->96x56x56\","
                + "\"dl4j_fwd_ms\":4,\"dl4j_bwd_ms\":2,\"dnnl_fwd_ms\":1,\"dnnl_bwd_ms\":1,\"max_rel_err\":1e-6}]}");
        JsonNode torch = m.readTree("{\"ops\":[{\"key\":\"block1/conv1x1@64\",\"torch_fwd_ms\":3,\"torch_bwd_ms\":6},"
                + "{\"key\":\"block1/concat@64\",\"torch_fwd_ms\":1,\"torch_bwd_ms\":1}]}");
        String t = OpTable.format(224, java, torch);
        // per op: DL4J 30 ms against oneDNN 6 ms → 5.0×; PyTorch 9 against 6 → 1.5×
        assertTrue(t.contains("| block1/conv1x1@64 | 64x56x56 → 128x56x56 | 3 | 10.0 / 20.0 | 2.00 / 4.00 | 3.00 / 6.00 | 5.0× | 1.5× |"), t);
        // block1: DL4J 3·10 + 0.5·4 = 32 fwd, 3·20 + 0.5·2 = 61 bwd; oneDNN 6.5 / 12.5; PyTorch 9.5 / 18.5
        assertTrue(t.contains("| block1 | 32.0 / 61.0 | 6.50 / 12.5 | 9.50 / 18.5 | 4.9× | 1.5× |"), t);
        assertTrue(t.contains("| CONCAT | 2.00 / 1.00 | 0.50 / 0.50 | 0.50 / 0.50 | 3.0× | 1.0× |"), t);
    }
}
