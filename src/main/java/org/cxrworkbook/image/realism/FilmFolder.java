package org.cxrworkbook.image.realism;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.image.Pixels;
import org.cxrworkbook.image.PngReader;
import org.cxrworkbook.image.Resizer;

/** Reads a folder of films (PNG, channel 0; a dataset folder's {@code images/}) and measures each at one size. */
public final class FilmFolder {

    private FilmFolder() {
    }

    /** Up to {@code max} PNGs of {@code dir} (or {@code dir/images}) in name order: the films the measures read. */
    public static List<Path> files(Path dir, int max) {
        Path folder = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
        if (!Files.isDirectory(folder)) {
            throw new DataException(dir.toString(), 0, "not a folder of films");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".png")).sorted().limit(max).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        if (files.isEmpty()) {
            throw new DataException(folder.toString(), 0, "no .png films in this folder");
        }
        return files;
    }

    /** The film with its lung-mask outline drawn white, to check what the lung measures cover. */
    static void writeOverlay(float[] img, int n, Path target) {
        LungMask.Mask m = LungMask.of(img, n);
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(n, n, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = y * n + x;
                boolean edge = m.lung()[i] && (x == 0 || y == 0 || x == n - 1 || y == n - 1
                        || !m.lung()[i - 1] || !m.lung()[i + 1] || !m.lung()[i - n] || !m.lung()[i + n]);
                int v = edge ? 255 : Math.max(0, Math.min(255, Math.round(img[i])));
                out.getRaster().setSample(x, y, 0, v);
            }
        }
        try {
            Files.createDirectories(target.getParent());
            javax.imageio.ImageIO.write(out, "png", target.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * Measures up to {@code max} PNGs of {@code dir} (or {@code dir/images}), in name order, each resized to
     * {@code size}² (antialiased); non-square films are refused, since squeezing would change the anatomy.
     */
    public static List<FilmMeasures> measure(Path dir, int size, int max) {
        return measure(dir, size, max, null);
    }

    /** As {@link #measure(Path, int, int)}, also writing each film with its lung-mask outline into {@code overlays} (if not null). */
    public static List<FilmMeasures> measure(Path dir, int size, int max, Path overlays) {
        List<FilmMeasures> out = new ArrayList<>();
        for (Path f : files(dir, max)) {
            Pixels p = PngReader.read(f);
            if (p.height() != p.width()) {
                throw new DataException(f.toString(), 0, "film is " + p.width() + "×" + p.height()
                        + "; the realism measures need square films");
            }
            Pixels grey = p.channels() == 1 ? p : Pixels.grey(p.height(), p.width(), p.channel(0));
            Pixels r = Resizer.resize(grey, size, size);
            out.add(FilmMeasures.of(f.getFileName().toString(), r.data(), size));
            if (overlays != null) {
                writeOverlay(r.data(), size, overlays.resolve(f.getFileName().toString()));
            }
        }
        return out;
    }
}
