package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

class BenchCommandTest {

    private static JsonNode result(double imagesPerSecond, long rssKb) throws Exception {
        return new ObjectMapper().readTree("{\"images_per_s\":" + imagesPerSecond + ",\"peak_rss_kb\":" + rssKb + "}");
    }

    @Test
    void tableHasARowPerEngineWithItsRatioToTheSameRunsPyTorch() throws Exception {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs("--engines", "graph,samediff");
        Map<String, JsonNode> row = new LinkedHashMap<>();
        row.put(BenchCommand.TORCH, result(8.0, 1048576));      // 1 GB
        row.put("samediff", result(4.0, 3 * 1048576));           // 3 GB
        row.put("graph", result(2.0, 2 * 1048576));              // 2 GB
        Map<String, Map<String, JsonNode>> table = new LinkedHashMap<>();
        table.put("train 224²", row);
        List<String> lines = bench.formatTable(table).lines().toList();
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals("| train 224² graph | 2.00 | 8.00 | 0.25× | 2.00 | 1.00 | 2.00× |", lines.get(3));
        assertEquals("| train 224² samediff | 4.00 | 8.00 | 0.50× | 3.00 | 1.00 | 3.00× |", lines.get(4));
    }

    @Test
    void defaultTableKeepsTheConfigurationOnlyRows() throws Exception {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs();
        Map<String, JsonNode> row = new LinkedHashMap<>();
        row.put("graph", result(3.0, 1048576));
        Map<String, Map<String, JsonNode>> table = Map.of("infer 128²", row);
        List<String> lines = bench.formatTable(table).lines().toList();
        assertEquals("| infer 128² | 3.00 | – | – | 1.00 | – | – |", lines.get(3));
    }

    @Test
    void severalEnginesAlsoGetOneColumnEach() throws Exception {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs("--engines", "graph,onednn");
        Map<String, JsonNode> row = new LinkedHashMap<>();
        row.put("graph", result(3.0, 2 * 1048576));
        row.put("onednn", result(9.0, 1048576));
        row.put(BenchCommand.TORCH, result(6.0, 1048576));
        List<String> lines = bench.formatColumns(Map.of("train 224²", row)).lines().toList();
        assertEquals("| config | graph img/s | onednn img/s | PyTorch img/s | graph/PyTorch | onednn/PyTorch "
                + "| peak RSS graph / onednn / PyTorch (GB) | RSS graph/PyTorch | RSS onednn/PyTorch |", lines.get(1));
        assertEquals("| train 224² | 3.00 | 9.00 | 6.00 | 0.50× | 1.50× | 2.00 / 1.00 / 1.00 | 2.00× | 1.00× |",
                lines.get(3));
    }

    @Test
    void unknownEngineIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        int rc = cli.execute("--engines", "graph,keras", "--no-torch");
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("keras"), err.toString());
    }
}
