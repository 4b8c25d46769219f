package org.cxrworkbook.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrworkbook.eval.Calibration;
import org.cxrworkbook.eval.FindingRoc;
import org.cxrworkbook.eval.RocCurve;
import org.cxrworkbook.eval.RocReport;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** ROC and calibration charts of a {@link RocReport}: all curves in one figure, small multiples, reliability diagram. */
public final class RocPlots {

    private static final Color CHANCE = new Color(160, 160, 160);

    private RocPlots() {
    }

    /** Legend text of one finding: "Finding (AUC 0.xx)", or "(AUC n/a)" when undefined. */
    public static String legend(FindingRoc r) {
        return r.finding().label() + " (AUC " + (r.defined() ? String.format(Locale.ROOT, "%.2f", r.auc()) : "n/a") + ")";
    }

    /** All defined ROC curves in one chart with the chance diagonal; undefined findings are left out. */
    public static XYChart rocCurves(RocReport report) {
        XYChart chart = rocChart(String.format(Locale.ROOT, "ROC curves, mean AUC %.3f over %d findings",
                report.meanAuc(), report.definedCount()), 900, 700, "False positive rate (1 - specificity)",
                "True positive rate (sensitivity)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (FindingRoc r : report.findings()) {
            r.curve().ifPresent(c -> styled(line(chart, legend(r), c.fpr(), c.tpr(), Palette.color(r.finding().ordinal())),
                    r.finding().ordinal()));
        }
        return chart;
    }

    /** The ROC chart of one finding, with its operating point (if any) marked; only the diagonal when undefined. */
    public static XYChart rocCurve(FindingRoc r, int width, int height) {
        XYChart chart = rocChart(legend(r), width, height, "1 - specificity", "sensitivity");
        chart.getStyler().setLegendVisible(false);
        if (r.curve().isPresent()) {
            RocCurve c = r.curve().get();
            styled(line(chart, r.finding().label(), c.fpr(), c.tpr(), Palette.color(r.finding().ordinal())),
                    r.finding().ordinal());
            r.operatingPoint().ifPresent(o -> {
                XYSeries p = chart.addSeries("operating point", new double[] {1 - o.specificity()}, new double[] {o.sensitivity()});
                p.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                p.setMarker(SeriesMarkers.CIRCLE);
                p.setMarkerColor(Color.BLACK);
            });
        } else {
            chart.setTitle(r.finding().label() + " (n/a: labels all " + (r.nPos() == 0 ? "0" : "1") + ")");
        }
        return chart;
    }

    /**
     * Small multiples: one ROC panel per finding in canonical order, {@code columns} per row, drawn into
     * one image. Composed with Java2D because XChart has no subplot grid.
     */
    public static BufferedImage smallMultiples(RocReport report, int columns) {
        int w = 300;
        int h = 270;
        List<FindingRoc> rows = report.findings();
        int gridRows = (rows.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * w, gridRows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < rows.size(); i++) {
            g.drawImage(Charts.image(rocCurve(rows.get(i), w, h)), (i % columns) * w, (i / columns) * h, null);
        }
        g.dispose();
        return out;
    }

    /** Reliability diagram of the probabilities pooled over all findings, with Brier score in the title. */
    public static XYChart calibration(RocReport report) {
        Map<String, Calibration> curves = new LinkedHashMap<>();
        curves.put(String.format(Locale.ROOT, "All findings (Brier %.3f)", report.pooledCalibration().brier()),
                report.pooledCalibration());
        return calibration("Calibration (equal-width bins)", curves);
    }

    /** Reliability diagram of several calibrations: mean predicted probability vs observed positive rate per bin. */
    public static XYChart calibration(String title, Map<String, Calibration> curves) {
        XYChart chart = new XYChartBuilder().width(700).height(600).title(title)
                .xAxisTitle("Mean predicted probability").yAxisTitle("Observed positive rate").build();
        styleUnitAxes(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        line(chart, "Perfectly calibrated", new double[] {0, 1}, new double[] {0, 1}, CHANCE)
                .setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        int k = 0;
        for (Map.Entry<String, Calibration> e : curves.entrySet()) {
            List<Calibration.Bin> bins = e.getValue().nonEmptyBins();
            XYSeries s = chart.addSeries(e.getKey(), bins.stream().mapToDouble(Calibration.Bin::meanPredicted).toArray(),
                    bins.stream().mapToDouble(Calibration.Bin::observedRate).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(SeriesLines.SOLID);
            s.setLineColor(Palette.color(k));
            s.setMarkerColor(Palette.color(k++));
        }
        return chart;
    }

    private static XYChart rocChart(String title, int width, int height, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        styleUnitAxes(chart);
        line(chart, "Chance", new double[] {0, 1}, new double[] {0, 1}, CHANCE)
                .setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return chart;
    }

    private static void styleUnitAxes(XYChart chart) {
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        Charts.tidy(chart);
    }

    /** Colour plus line style of finding i (seven hues, solid then dashed). */
    private static XYSeries styled(XYSeries s, int i) {
        s.setLineStyle(Palette.stroke(i));
        return s;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(SeriesLines.SOLID);
        return s;
    }
}
