package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.RocAnalysis;
import org.cxrworkbook.eval.RocReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.XYChart;

class RocPlotsTest {

    /** 8 images; Atelectasis perfectly separated, Hernia all negative, the rest label i % 2 with score i / 10. */
    static RocReport report() {
        List<String> images = new ArrayList<>();
        List<String> patients = new ArrayList<>();
        int[][] y = new int[8][Finding.COUNT];
        double[][] p = new double[8][Finding.COUNT];
        for (int i = 0; i < 8; i++) {
            images.add("0000000" + i + "_000.png");
            patients.add(String.valueOf(i));
            for (Finding f : Finding.all()) {
                y[i][f.ordinal()] = f == Finding.HERNIA ? 0 : f == Finding.ATELECTASIS ? (i < 4 ? 0 : 1) : i % 2;
                p[i][f.ordinal()] = i / 10.0;
            }
        }
        return RocAnalysis.builder().bootstrap(20).build().analyse(Predictions.of(images, patients, y, p));
    }

    static Stream<XYChart> charts() {
        RocReport r = report();
        return Stream.of(RocPlots.rocCurves(r), RocPlots.calibration(r),
                RocPlots.rocCurve(r.get(Finding.ATELECTASIS), 300, 270), RocPlots.rocCurve(r.get(Finding.HERNIA), 300, 270));
    }

    @ParameterizedTest
    @MethodSource("charts")
    void everyChartRendersToPng(XYChart chart, @TempDir Path dir) throws Exception {
        Path png = Charts.savePng(chart, dir.resolve("c.png"));
        assertTrue(Files.size(png) > 1000);
        assertEquals(chart.getWidth(), Charts.image(chart).getWidth());
    }

    @Test
    void legendNamesEachFindingWithItsAucAndSkipsUndefined() {
        XYChart chart = RocPlots.rocCurves(report());
        assertTrue(chart.getSeriesMap().containsKey("Atelectasis (AUC 1.00)"));
        // labels i % 2, scores i / 10: 10 of 16 pairs ordered -> 0.625
        assertTrue(chart.getSeriesMap().containsKey("Cardiomegaly (AUC 0.63)"));
        assertFalse(chart.getSeriesMap().keySet().stream().anyMatch(k -> k.startsWith("Hernia")));
        assertEquals(1 + 13, chart.getSeriesMap().size());   // chance line + 13 defined findings
        assertEquals("Hernia (AUC n/a)", RocPlots.legend(report().get(Finding.HERNIA)));
    }

    @Test
    void smallMultiplesIsOneGridImage(@TempDir Path dir) throws Exception {
        BufferedImage img = RocPlots.smallMultiples(report(), 4);
        assertEquals(4 * 300, img.getWidth());
        assertEquals(4 * 270, img.getHeight());
        Path png = Charts.savePng(img, dir.resolve("figures/grid.png"));
        assertEquals(4 * 300, javax.imageio.ImageIO.read(png.toFile()).getWidth());
    }
}
