package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cxrworkbook.train.EpochResult;
import org.cxrworkbook.train.TrainingHistory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.XYChart;

class TrainingPlotsTest {

    static TrainingHistory history() {
        return new TrainingHistory(List.of(
                new EpochResult(1, 0.9, 0.8, 0.62, 1e-3, 10, 5, 4),
                new EpochResult(2, 0.7, 0.75, 0.71, 1e-3, 10, 5, 4),
                new EpochResult(3, 0.6, Double.NaN, Double.NaN, 1e-4, 10, 5, 4)), "done");
    }

    static Stream<Function<TrainingHistory, XYChart>> charts() {
        return Stream.of(TrainingPlots::curves, TrainingPlots::auc);
    }

    @ParameterizedTest
    @MethodSource("charts")
    void rendersHeadlessToPng(Function<TrainingHistory, XYChart> chart, @TempDir Path dir) throws Exception {
        XYChart c = chart.apply(history());
        BufferedImage img = Charts.image(c);
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 360);
        Path png = Charts.savePng(c, dir.resolve("c.png"));
        assertTrue(Files.size(png) > 1000);
    }

    @org.junit.jupiter.api.Test
    void curvesSkipUndefinedValidationEpochs() {
        XYChart c = TrainingPlots.curves(history());
        assertEquals(3, c.getSeriesMap().get("train loss").getXData().length);
        assertEquals(2, c.getSeriesMap().get("val mean AUC").getXData().length);
        assertEquals(1, c.getSeriesMap().get("val mean AUC").getYAxisGroup());
    }
}
