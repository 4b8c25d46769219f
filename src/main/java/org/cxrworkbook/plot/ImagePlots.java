package org.cxrworkbook.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.image.PixelStats;
import org.cxrworkbook.image.Pixels;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Charts of pixel values: histograms of raw and standardised images, and of per-image means. */
public final class ImagePlots {

    private ImagePlots() {
    }

    /** Histogram (counts) of all values of an image. */
    public static XYChart histogram(String title, Pixels image, int bins) {
        XYChart chart = chart(title, "pixel value", "pixels");
        addHistogram(chart, "pixels", toList(image.data()), bins, false, 1, 0);
        return chart;
    }

    /**
     * The seed's figure: raw and standardised histograms of the same image, overlaid. The raw values are drawn
     * at {@code (x − mean) / std} so both share one axis; densities are normalised. The two curves coincide,
     * showing standardisation changes the axis, not the shape.
     */
    public static XYChart rawVsStandardised(Pixels raw, Pixels standardised, int bins) {
        PixelStats r = PixelStats.of(raw);
        PixelStats s = PixelStats.of(standardised);
        XYChart chart = chart("Raw vs standardised pixel distribution", "standardised value (raw drawn at (x − mean)/std)", "density");
        addHistogram(chart, String.format("raw (mean %.1f, std %.1f)", r.mean(), r.std()), toList(raw.data()), bins, true,
                r.std() == 0 ? 1 : r.std(), r.mean());
        addHistogram(chart, String.format("standardised (mean %.2f, std %.2f)", s.mean(), s.std()), toList(standardised.data()),
                bins, true, 1, 0);
        return chart;
    }

    /** Density histograms of several value sets on one axis (e.g. test pixels under different standardisers). */
    public static XYChart overlaidHistograms(String title, Map<String, float[]> values, int bins) {
        XYChart chart = chart(title, "value", "density");
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            addHistogram(chart, e.getKey(), toList(e.getValue()), bins, true, 1, 0);
        }
        return chart;
    }

    /** Two histograms side by side on their own axes (raw 0–255 left, standardised right), as one picture. */
    public static BufferedImage rawAndStandardisedPanels(Pixels raw, Pixels standardised, int bins) {
        PixelStats r = PixelStats.of(raw);
        PixelStats s = PixelStats.of(standardised);
        XYChart left = histogram(String.format("Raw: mean %.1f, std %.1f", r.mean(), r.std()), raw, bins);
        XYChart right = histogram(String.format("Standardised: mean %.2f, std %.2f", s.mean(), s.std()), standardised, bins);
        return sideBySide(Charts.image(left), Charts.image(right));
    }

    /** Distribution of per-image mean pixel values across a data set. */
    public static XYChart perImageMeans(double[] means, int bins) {
        List<Double> v = new ArrayList<>(means.length);
        for (double m : means) {
            v.add(m);
        }
        XYChart chart = chart("Per-image mean pixel value (" + means.length + " images)", "mean pixel value", "images");
        addHistogram(chart, "images", v, bins, false, 1, 0);
        return chart;
    }

    /** Channel 0 of an image as a grey picture, scaled from its min (black) to its max (white). */
    public static BufferedImage picture(Pixels image) {
        PixelStats s = PixelStats.of(image.channel(0));
        double range = s.max() - s.min();
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        float[] d = image.data();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int g = range == 0 ? 0 : (int) Math.round((d[y * image.width() + x] - s.min()) / range * 255);
                img.getRaster().setSample(x, y, 0, g);
            }
        }
        return img;
    }

    /** Concatenates pictures horizontally on a white background. */
    public static BufferedImage sideBySide(BufferedImage... images) {
        int w = 0;
        int h = 0;
        for (BufferedImage i : images) {
            w += i.getWidth();
            h = Math.max(h, i.getHeight());
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int x = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, x, 0, null);
            x += i.getWidth();
        }
        g.dispose();
        return out;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(700).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return Charts.tidy(chart);
    }

    /** Adds a histogram series (XChart's binning); x values mapped by (x − shift)/scale, optionally as density. */
    private static void addHistogram(XYChart chart, String name, List<Double> values, int bins, boolean density,
                                     double scale, double shift) {
        Histogram h = new Histogram(values, bins);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double width = (h.getMax() - h.getMin()) / bins / scale;
        for (int i = 0; i < bins; i++) {
            xs.add((h.getxAxisData().get(i) - shift) / scale);
            double c = h.getyAxisData().get(i);
            ys.add(density ? c / (values.size() * (width == 0 ? 1 : width)) : c);
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static List<Double> toList(float[] values) {
        List<Double> v = new ArrayList<>(values.length);
        for (float f : values) {
            v.add((double) f);
        }
        return v;
    }
}
