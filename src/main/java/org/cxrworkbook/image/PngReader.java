package org.cxrworkbook.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.DataException;

/**
 * Decodes a radiograph file (PNG, or anything ImageIO reads) to one grey float channel in [0, 255].
 *
 * <p>8-bit grey is taken as is; RGB/RGBA takes channel 0 (as torchxrayvision does for NIH's few RGBA
 * files); palette images map through the palette's red entry; 16-bit samples are scaled by 255/65535.
 * Unreadable files raise a {@link DataException} naming the file.
 */
public final class PngReader {

    private PngReader() {
    }

    /**
     * Reads {@code file} as a single-channel float image with values in [0, 255]. The header is checked against
     * {@link org.cxrworkbook.data.ImageLimits} before any pixel is decoded; a plain PNG is streamed, so memory is
     * bounded by the float result (4·width·height bytes) plus two rows, whatever the file's size.
     */
    public static Pixels read(Path file) {
        String name = file.toString();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.mark(8);
            byte[] sig = in.readNBytes(8);
            if (sig.length == 0) {
                throw new DataException(name, 0, "empty file (0 bytes), not an image");
            }
            in.reset();
            if (FastPngDecoder.isPng(sig)) {
                Pixels p = FastPngDecoder.decode(in, name);
                if (p != null) {
                    return p;
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataException(name, 0, "image file not found", e);
        } catch (FastPngDecoder.CorruptPngException e) {
            throw new DataException(name, 0, e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(name, 0, "cannot read image file: " + e.getMessage(), e);
        }
        return toGrey(decode(file));
    }

    /** Decodes the file with ImageIO, turning every failure into a DataException naming it. */
    static BufferedImage decode(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) == 0) {
                throw new DataException(name, 0, "empty file (0 bytes), not an image");
            }
            BufferedImage img;
            try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                var readers = in == null ? null : ImageIO.getImageReaders(in);
                if (readers == null || !readers.hasNext()) {
                    img = null;
                } else {
                    javax.imageio.ImageReader reader = readers.next();
                    try {
                        reader.setInput(in, true, true);
                        int max = org.cxrworkbook.data.ImageLimits.maxSide();
                        if (reader.getWidth(0) > max || reader.getHeight(0) > max) {
                            throw new DataException(name, 0, "image is " + reader.getWidth(0) + "x"
                                    + reader.getHeight(0) + " pixels, larger than the limit of " + max
                                    + " per side (-D" + org.cxrworkbook.data.ImageLimits.PROPERTY + ")");
                        }
                        img = reader.read(0);
                    } finally {
                        reader.dispose();
                    }
                }
            }
            if (img == null) {
                throw new DataException(name, 0, "not a readable image (no ImageIO decoder accepts its content)");
            }
            return img;
        } catch (NoSuchFileException e) {
            throw new DataException(name, 0, "image file not found", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException de) {
                throw de;
            }
            throw new DataException(name, 0, "truncated or corrupt image: " + e.getMessage(), e);
        }
    }

    /** Channel 0 of a decoded image as float [0, 255]. */
    static Pixels toGrey(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[w * h];
        Raster r = img.getRaster();
        int type = r.getDataBuffer().getDataType();
        if (img.getColorModel() instanceof IndexColorModel icm) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = icm.getRed(row[x]);
                }
            }
        } else if (type == DataBuffer.TYPE_BYTE && r.getSampleModel() instanceof ComponentSampleModel sm
                && r.getDataBuffer().getNumBanks() == 1 && r.getParent() == null) {
            // Fast path for the common case (8-bit grey or interleaved RGB/RGBA): read the backing array directly.
            byte[] buf = ((DataBufferByte) r.getDataBuffer()).getData();
            int stride = sm.getPixelStride();
            int scan = sm.getScanlineStride();
            int off = sm.getOffset(0, 0, 0) + r.getDataBuffer().getOffset();
            for (int y = 0; y < h; y++) {
                int p = off + y * scan;
                int o = y * w;
                for (int x = 0; x < w; x++, p += stride) {
                    out[o + x] = buf[p] & 0xFF;
                }
            }
        } else {
            int bits = r.getSampleModel().getSampleSize(0);
            float scale = bits <= 8 ? 255f / ((1 << bits) - 1) : 255f / 65535f;
            if (bits > 16) {
                scale = 255f / (float) ((1L << bits) - 1);
            }
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] * scale;
                }
            }
        }
        return Pixels.grey(h, w, out);
    }
}
