package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cxrworkbook.image.Pixels;
import org.cxrworkbook.image.Standardizer;
import org.cxrworkbook.image.SyntheticRadiographs;
import org.cxrworkbook.train.ClassFrequencies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.XYChart;
import org.junit.jupiter.api.Test;

class ImagePlotsTest {

    private static Pixels raw() {
        BufferedImage img = SyntheticRadiographs.image(64, 4);
        float[] d = new float[64 * 64];
        img.getRaster().getPixels(0, 0, 64, 64, d);
        return Pixels.grey(64, 64, d);
    }

    static Stream<Arguments> pictures() {
        Pixels raw = raw();
        Pixels std = Standardizer.samplewise().apply(raw.copy());
        ClassFrequencies f = ClassFrequencies.compute(new double[][] {{1, 0, 0}, {0, 1, 1}, {1, 0, 1}});
        return Stream.of(
                Arguments.of("histogram", (Supplier<BufferedImage>) () -> Charts.image(ImagePlots.histogram("raw", raw, 32))),
                Arguments.of("overlay", (Supplier<BufferedImage>) () -> Charts.image(ImagePlots.rawVsStandardised(raw, std, 32))),
                Arguments.of("panels", (Supplier<BufferedImage>) () -> ImagePlots.rawAndStandardisedPanels(raw, std, 32)),
                Arguments.of("means", (Supplier<BufferedImage>) () -> Charts.image(ImagePlots.perImageMeans(new double[] {90, 100, 101, 120}, 5))),
                Arguments.of("picture", (Supplier<BufferedImage>) () -> ImagePlots.picture(raw)),
                Arguments.of("frequencies", (Supplier<BufferedImage>) () -> Charts.image(FrequencyPlots.frequencies(f))),
                Arguments.of("contributions", (Supplier<BufferedImage>) () -> Charts.image(FrequencyPlots.contributions(f, true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pictures")
    void rendersToPng(String name, Supplier<BufferedImage> picture) throws Exception {
        BufferedImage img = picture.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        assertTrue(out.size() > 500, name + " " + out.size());
    }

    @Test
    void overlaidDensitiesCoincideForAnAffineMap() {
        Pixels raw = raw();
        // non-integer values, so that no value sits exactly on a bin edge where float rounding could move it
        for (int i = 0; i < raw.data().length; i++) {
            raw.data()[i] += (float) (0.25 * Math.sin(i * 0.7));
        }
        Pixels std = Standardizer.samplewise().apply(raw.copy());
        XYChart c = ImagePlots.rawVsStandardised(raw, std, 20);
        var series = c.getSeriesMap().values().stream().toList();
        double[] a = series.get(0).getYData();
        double[] b = series.get(1).getYData();
        double[] xa = series.get(0).getXData();
        double[] xb = series.get(1).getXData();
        for (int i = 0; i < a.length; i++) {
            assertEquals(xa[i], xb[i], 1e-3);
            assertEquals(a[i], b[i], 1e-3 * Math.max(1, a[i]));
        }
    }
}
