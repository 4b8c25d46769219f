package org.cxrworkbook.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Turns XChart charts into images: a {@link BufferedImage} is what both Java kernels (rapaio, IJava)
 * display as a picture when it is a cell's last expression.
 */
public final class Charts {

    private Charts() {
    }

    /** Renders a chart to an image for inline display. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes a chart as PNG (parent folders created) and returns the path. */
    public static Path savePng(Chart<?, ?> chart, Path file) {
        return savePng(image(chart), file);
    }

    /** Writes an image (a composed figure, an overlay) as PNG (parent folders created) and returns the path. */
    public static Path savePng(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer for this image type");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image " + file, e);
        }
    }
}
