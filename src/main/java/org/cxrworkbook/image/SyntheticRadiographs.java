package org.cxrworkbook.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes simple synthetic 8-bit grey PNGs that look vaguely like chest radiographs (dark lung fields in a
 * brighter body, noise), for tests and the image benchmark. Not the phantom data set.
 */
public final class SyntheticRadiographs {

    private SyntheticRadiographs() {
    }

    /** A {@code size × size} synthetic radiograph as an 8-bit grey image. */
    public static BufferedImage image(int size, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        double brightness = 150 + 40 * rnd.nextDouble();
        double lungW = 0.17 + 0.04 * rnd.nextDouble();
        for (int y = 0; y < size; y++) {
            double v = (double) y / size;
            for (int x = 0; x < size; x++) {
                double u = (double) x / size;
                double body = Math.exp(-Math.pow((u - 0.5) / 0.38, 4)) * brightness;
                double left = lung(u, v, 0.32, lungW);
                double right = lung(u, v, 0.68, lungW);
                double val = body * (1 - 0.55 * Math.max(left, right)) + 20 + rnd.nextGaussian() * 6;
                px[y * size + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(val)));
            }
        }
        return img;
    }

    private static double lung(double u, double v, double cx, double w) {
        double d = Math.pow((u - cx) / w, 2) + Math.pow((v - 0.5) / 0.3, 2);
        return d < 1 ? 1 - d * d : 0;
    }

    /** Writes {@code n} images {@code img_000.png, …} of side {@code size} into {@code dir}. */
    public static List<Path> write(Path dir, int n, int size, long seed) {
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path f = dir.resolve(String.format("img_%03d.png", i));
                ImageIO.write(image(size, seed + i), "png", f.toFile());
                files.add(f);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic images to " + dir, e);
        }
    }
}
