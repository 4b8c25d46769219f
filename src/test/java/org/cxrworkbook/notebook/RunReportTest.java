package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    private static final MachineFacts MACHINE =
            new MachineFacts(2, 24L << 30, 6L << 30, "17.0.15 (test VM)", "nd4j-native (CPU)");

    @TempDir
    Path tmp;

    private Path out() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("output"));
        Files.writeString(out.resolve("run.json"), """
                {"params": {"CXR_EPOCHS": "1", "CXR_DATA_DIR": "/data/<nih>"},
                 "notebooks": [
                   {"notebook": "01-loading.ipynb", "html": "01-loading.html", "seconds": 12.25, "images": 3, "status": "ok"},
                   {"notebook": "02-overlap.ipynb", "html": "02-overlap.html", "seconds": 75.0, "images": 0,
                    "status": "failed", "message": "02-overlap.ipynb, cell 5: IllegalStateException: boom"}],
                 "kernel": {"name": "cxr-java", "display_name": "Java (cxr-workbook)",
                            "implementation": "rapaio-jupyter-kernel", "version": "3.0.1",
                            "patches": "environment/kernel-fix", "heap": "8g"},
                 "total_seconds": 87.25, "finished": "2026-11-25T22:00:00Z"}
                """);
        return out;
    }

    @Test
    void notebooksAreLinkedWithWallTimesStatusAndTotal() throws Exception {
        String html = new RunReport(out(), tmp.resolve("work"), MACHINE).html();
        assertTrue(html.contains("<a href=\"01-loading.html\">01-loading.ipynb</a>"), html);
        assertTrue(html.contains("<td>12.3 s</td>"), "12.25 s shown to one decimal");
        assertTrue(html.contains("<td>1 min 15 s</td>"), "75 s shown as minutes");
        assertTrue(html.contains("<th>1 min 27 s</th>"), "total 87.25 s");
        assertTrue(html.contains("failed: 02-overlap.ipynb, cell 5: IllegalStateException: boom"));
        assertTrue(html.contains("<th>CXR_EPOCHS</th><td>1</td>"));
        assertTrue(html.contains("/data/&lt;nih&gt;"), "parameter values are escaped");
        assertTrue(html.contains("No figures in") && html.contains("No metrics in"));
    }

    @Test
    void everyFigureIsEmbeddedByteForByte() throws Exception {
        Path figures = Files.createDirectories(tmp.resolve("work/figures/sub"));
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff0000);
        ImageIO.write(img, "png", figures.resolve("b.png").toFile());
        ImageIO.write(img, "png", figures.getParent().resolve("a.png").toFile());
        Files.writeString(figures.resolve("notes.txt"), "not a figure");

        String html = new RunReport(out(), tmp.resolve("work"), MACHINE).html();
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(figures.resolve("b.png")));
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
        int count = 0;
        while (m.find()) {
            assertEquals(b64, m.group(1));
            count++;
        }
        assertEquals(2, count, "two PNGs, the text file is skipped");
        assertTrue(html.indexOf("<figcaption>a.png") < html.indexOf("<figcaption>sub/b.png"), "sorted by path");
    }

    @Test
    void metricsJsonBecomesTables() throws Exception {
        Path metrics = Files.createDirectories(tmp.resolve("work/metrics"));
        Files.writeString(metrics.resolve("roc.json"), """
                {"mean_auc": 0.81234567, "n": 420, "per_finding": [
                   {"finding": "Mass", "auc": 0.9},
                   {"finding": "Hernia", "auc": 0.77777, "note": "a<b"}],
                 "thresholds": [0.1, 0.5]}
                """);
        Files.writeString(metrics.resolve("localisation.json"), """
                [{"finding": "Nodule", "hit_rate": 0.25}, {"finding": "Mass", "hit_rate": 0.5}]
                """);
        String html = new RunReport(out(), tmp.resolve("work"), MACHINE).html();
        assertTrue(html.contains("<tr><th>mean_auc</th><td>0.8123</td></tr>"), html);
        assertTrue(html.contains("<tr><th>n</th><td>420</td></tr>"));
        assertTrue(html.contains("<tr><th>finding</th><th>auc</th><th>note</th></tr>"), "union of keys as columns");
        assertTrue(html.contains("<tr><td>Mass</td><td>0.9</td><td></td></tr>"));
        assertTrue(html.contains("<tr><td>Hernia</td><td>0.7778</td><td>a&lt;b</td></tr>"));
        assertTrue(html.contains("<td>0.1, 0.5</td>"));
        assertTrue(html.contains("<tr><th>finding</th><th>hit_rate</th></tr><tr><td>Nodule</td><td>0.25</td></tr>"));
        assertTrue(html.indexOf("<summary>localisation.json") < html.indexOf("<summary>roc.json"));
    }

    @Test
    void theKernelThatRanIsNamed() throws Exception {
        String html = new RunReport(out(), tmp.resolve("work"), MACHINE).html();
        assertTrue(html.contains("<h2>Kernel</h2>\n<p>rapaio-jupyter-kernel 3.0.1 with environment/kernel-fix, heap 8g"
                + " (spec &quot;Java (cxr-workbook)&quot;)</p>"), html);
    }

    @Test
    void machineFactsAreShown() throws Exception {
        String html = new RunReport(out(), tmp.resolve("work"), MACHINE).html();
        assertTrue(html.contains("<tr><th>cores</th><td>2</td></tr>"));
        assertTrue(html.contains("<tr><th>memory</th><td>24.0 GiB</td></tr>"));
        assertTrue(html.contains("<tr><th>Java</th><td>17.0.15 (test VM)</td></tr>"));
        assertTrue(html.contains("<tr><th>ND4J backend</th><td>nd4j-native (CPU)</td></tr>"));
    }

    @Test
    void withoutRunSummaryTheHtmlPagesPresentAreListed() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("bare"));
        Files.writeString(out.resolve("03-histograms.html"), "<html></html>");
        Files.writeString(out.resolve(RunReport.FILE_NAME), "old report");
        String html = new RunReport(out, tmp.resolve("work"), MACHINE).html();
        assertTrue(html.contains("<a href=\"03-histograms.html\">03-histograms.html</a>"));
        assertFalse(html.contains("href=\"report.html\""));
        assertTrue(html.contains("Notebook defaults"));
    }

    @Test
    void writeReplacesTheReportFile() throws Exception {
        Path out = out();
        Files.writeString(out.resolve(RunReport.FILE_NAME), "old");
        Path written = new RunReport(out, tmp.resolve("work"), MACHINE).write();
        assertEquals(out.resolve("report.html"), written);
        assertTrue(Files.readString(written).startsWith("<!DOCTYPE html>"));
        try (var files = Files.list(out)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".tmp")).count(), "no temporary left");
        }
    }

    @Test
    void brokenMetricsFileIsNamedAndNothingIsWritten() throws Exception {
        Path out = out();
        Path metrics = Files.createDirectories(tmp.resolve("work/metrics"));
        Files.writeString(metrics.resolve("roc.json"), "{\"auc\": 0.8,");
        DataException e = assertThrows(DataException.class,
                () -> new RunReport(out, tmp.resolve("work"), MACHINE).write());
        assertTrue(e.getMessage().contains("roc.json") && e.getMessage().contains("not valid JSON"), e.getMessage());
        assertFalse(Files.exists(out.resolve(RunReport.FILE_NAME)));
    }

    @Test
    void currentMachineFindsTheCpuBackendOnTheClassPath() {
        MachineFacts m = MachineFacts.current();
        assertEquals(Runtime.getRuntime().availableProcessors(), m.cores());
        assertTrue(m.nd4jBackend().startsWith("nd4j-native (CPU"), m.nd4jBackend());
    }
}
