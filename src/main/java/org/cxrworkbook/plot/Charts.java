package org.cxrworkbook.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Turns XChart charts into images: a {@link BufferedImage} is what both Java kernels (rapaio, IJava)
 * display as a picture when it is a cell's last expression.
 */
public final class Charts {

    private Charts() {
    }

    /**
     * A tick or label value with at most three significant digits and no trailing zeros ("0.705", "12", "1,250",
     * "2.5e-05"), so no axis prints the 16 digits of a binary fraction.
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(java.util.Locale.ROOT, "%,.0f", v);
        }
        if (a < 1e-3) {
            return String.format(java.util.Locale.ROOT, "%.2g", v).replace("e-0", "e-");
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** White background and {@link #number} ticks on both axes of an XY chart; returns it. */
    public static org.knowm.xchart.XYChart tidy(org.knowm.xchart.XYChart chart) {
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::number);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(Charts::number);
        return chart;
    }

    /**
     * White background, {@link #number} ticks on the value axis, light bar colours and value labels in dark grey
     * at the top of each bar (XChart's white labels in the middle of a bar cannot be read on small bars); returns it.
     */
    public static org.knowm.xchart.CategoryChart tidy(org.knowm.xchart.CategoryChart chart) {
        var st = chart.getStyler();
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setyAxisTickLabelsFormattingFunction(Charts::number);
        java.awt.Color[] light = {new java.awt.Color(130, 177, 230), new java.awt.Color(247, 186, 110),
            new java.awt.Color(140, 205, 160), new java.awt.Color(230, 150, 150)};
        int i = 0;
        for (var series : chart.getSeriesMap().values()) {
            series.setFillColor(light[i++ % light.length]);
        }
        if (st.isLabelsVisible()) {
            st.setLabelsFontColorAutomaticEnabled(false);
            st.setLabelsFontColor(new java.awt.Color(20, 20, 20));
            st.setLabelsPosition(1.0);
            st.setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11));
        }
        return chart;
    }

    /** Renders a chart to an image for inline display. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes a chart as PNG (parent folders created) and returns the path. */
    public static Path savePng(Chart<?, ?> chart, Path file) {
        return savePng(image(chart), file);
    }

    /**
     * Saves {@code image} as PNG to {@code file} (for the run report, e.g. {@code WORK/figures/01-finding-counts.png})
     * and returns the image, so a notebook cell can still end with it.
     */
    public static BufferedImage keep(BufferedImage image, Path file) {
        savePng(image, file);
        return image;
    }

    /** Writes an image (a composed figure, an overlay) as PNG (parent folders created) and returns the path. */
    public static Path savePng(BufferedImage image, Path file) {
        return AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for this image type");
            }
        });
    }
}
