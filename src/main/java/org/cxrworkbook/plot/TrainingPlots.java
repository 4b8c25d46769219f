package org.cxrworkbook.plot;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.cxrworkbook.train.EpochResult;
import org.cxrworkbook.train.TrainingHistory;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training curves from a {@link TrainingHistory}: loss and validation loss per epoch, validation mean AUC on a second axis. */
public final class TrainingPlots {

    private TrainingPlots() {
    }

    /** Train loss, val loss (left axis) and val mean AUC (right axis) per epoch. */
    public static XYChart curves(TrainingHistory history) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title("Training curves")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.setYAxisGroupTitle(1, "val mean AUC");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        List<EpochResult> epochs = history.epochs();
        add(chart, "train loss", epochs, EpochResult::trainLoss, 0);
        add(chart, "val loss", epochs, EpochResult::valLoss, 0);
        add(chart, "val mean AUC", epochs, EpochResult::valMeanAuc, 1);
        Charts.tidy(chart);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, aucAxisMin(history)).setYAxisMax(1, 1.0);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    /** Validation mean AUC per epoch only (0.5 = chance). */
    public static XYChart auc(TrainingHistory history) {
        XYChart chart = new XYChartBuilder().width(600).height(360).title("Validation mean AUC")
                .xAxisTitle("epoch").yAxisTitle("AUC").build();
        chart.getStyler().setYAxisMin(aucAxisMin(history)).setYAxisMax(1.0).setLegendPosition(Styler.LegendPosition.InsideSE);
        add(chart, "val mean AUC", history.epochs(), EpochResult::valMeanAuc, 0);
        double first = history.epochs().isEmpty() ? 1 : history.epochs().get(0).epoch();
        double last = history.epochs().isEmpty() ? 1 : history.last().epoch();
        chart.addSeries("chance", new double[] {first, last}, new double[] {0.5, 0.5}).setMarker(SeriesMarkers.NONE);
        Charts.tidy(chart);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    /**
     * Lower end of an AUC axis: 0.5 (chance), or lower in tenths when some epoch fell below it. The top is 1, so
     * epoch-to-epoch noise of ±0.01 looks as small as it is instead of filling the plot.
     */
    static double aucAxisMin(TrainingHistory history) {
        double min = history.epochs().stream().mapToDouble(EpochResult::valMeanAuc).filter(Double::isFinite)
                .min().orElse(0.5);
        return Math.min(0.5, Math.floor(min * 10) / 10);
    }

    private static void add(XYChart chart, String name, List<EpochResult> epochs, ToDoubleFunction<EpochResult> f, int axis) {
        List<EpochResult> defined = epochs.stream().filter(e -> Double.isFinite(f.applyAsDouble(e))).toList();
        if (defined.isEmpty()) {
            return; // e.g. no validation data: no val curves
        }
        double[] x = defined.stream().mapToDouble(EpochResult::epoch).toArray();
        double[] y = defined.stream().mapToDouble(f).toArray();
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
