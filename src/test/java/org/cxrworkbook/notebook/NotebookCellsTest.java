package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What the stored notebooks' code cells may do: load the module with one line, and leave cleanup to the helpers. */
class NotebookCellsTest {

    private static final Pattern CLEANUP = Pattern.compile("\\.(shutdown|close|shutdownNow)\\(\\)");

    @Test
    void setupCellLoadsTheOneNotebookJar() throws IOException {
        for (Path nb : notebooks()) {
            String setup = codeCells(nb).stream().filter(c -> c.contains("setup.jshell")).findFirst().orElseThrow();
            assertEquals("%jars ../target/cxr-workbook-notebook.jar\n%load ../environment/setup.jshell", setup.strip(),
                    nb.toString());
        }
    }

    @Test
    void noCellStopsThreadsOrClosesResourcesByHand() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path nb : notebooks()) {
            for (String cell : codeCells(nb)) {
                cell.lines().filter(l -> CLEANUP.matcher(l).find()).forEach(l -> found.add(nb.getFileName() + ": " + l));
            }
        }
        assertEquals(List.of(), found, "a helper stops what it started (e.g. CxrDataSetIterator at the end of an epoch)");
    }

    /** Every figure a notebook saves for the report has a caption saying what to look at. */
    @Test
    void everySavedFigureHasAReportCaption() throws IOException {
        Pattern saved = Pattern.compile("figures/([\\w.-]+\\.png)");
        List<String> names = new ArrayList<>();
        for (Path nb : notebooks()) {
            for (String cell : codeCells(nb)) {
                saved.matcher(cell).results().forEach(m -> names.add(m.group(1)));
            }
        }
        assertTrue(names.containsAll(List.of("01-finding-counts.png", "02-prevalence-per-split.png",
                "03-raw-vs-standardised.png", "04-test-pixels-standardised.png", "05-weighted-contributions.png",
                "07-roc-curves.png", "08-gradcam-top-findings.png")), names.toString());
        for (String name : names) {
            assertTrue(RunReport.CAPTIONS.containsKey(name), "no caption for " + name);
        }
    }

    static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("notebooks"))) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
            assertTrue(list.size() >= 8, list.toString());
            return list;
        }
    }

    static List<String> codeCells(Path notebook) throws IOException {
        JsonNode root = new ObjectMapper().readTree(notebook.toFile());
        List<String> cells = new ArrayList<>();
        for (JsonNode cell : root.get("cells")) {
            if ("code".equals(cell.get("cell_type").asText())) {
                StringBuilder sb = new StringBuilder();
                JsonNode source = cell.get("source");
                if (source.isArray()) {
                    source.forEach(line -> sb.append(line.asText()));
                } else {
                    sb.append(source.asText());
                }
                cells.add(sb.toString());
            }
        }
        return cells;
    }
}
