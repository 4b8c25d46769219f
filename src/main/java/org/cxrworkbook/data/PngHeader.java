package org.cxrworkbook.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The PNG header chunk (IHDR) of an image file — width, height, bit depth, colour type, interlace — read from
 * its first 33 bytes without decoding pixels. Lesion boxes live in the pixel space of the PNG file itself,
 * so this (not Data_Entry's {@code OriginalImage[Width,Height]}) is the size a box is scaled from.
 */
public record PngHeader(int width, int height, int bitDepth, int colourType, int interlace) {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR = 0x49484452;

    /** Samples per pixel of the colour type (grey 1, RGB 3, palette 1, grey+alpha 2, RGBA 4), 0 when invalid. */
    public int channels() {
        return switch (colourType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
        };
    }

    /** Bytes of one unfiltered row without its filter byte, in long arithmetic (cannot overflow). */
    public long rowBytes() {
        return ((long) width * channels() * bitDepth + 7) / 8;
    }

    /** Reads the header of {@code file}; a missing, short or non-PNG file is a {@link DataException} naming it. */
    public static PngHeader read(Path file) {
        byte[] b = new byte[33];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(b, 0, b.length);
        } catch (NoSuchFileException e) {
            throw new DataException(file.toString(), 0, "image file not found", e);
        } catch (IOException e) {
            throw new DataException(file.toString(), 0, "cannot read image file: " + e.getMessage(), e);
        }
        return parse(file.toString(), Arrays.copyOf(b, n));
    }

    /** Parses the first bytes of a PNG (at least 33); {@code name} is used in error messages. */
    public static PngHeader parse(String name, byte[] b) {
        if (b.length < SIGNATURE.length || !Arrays.equals(Arrays.copyOf(b, SIGNATURE.length), SIGNATURE)) {
            throw new DataException(name, 0, "not a PNG file (bad signature)");
        }
        if (b.length < 33 || readInt(b, 12) != IHDR) {
            throw new DataException(name, 0, "truncated or corrupt PNG: no header chunk (IHDR) after the signature");
        }
        long w = readInt(b, 16) & 0xFFFFFFFFL;
        long h = readInt(b, 20) & 0xFFFFFFFFL;
        if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new DataException(name, 0, "PNG header gives an invalid size " + w + "x" + h);
        }
        return new PngHeader((int) w, (int) h, b[24] & 0xFF, b[25] & 0xFF, b[28] & 0xFF);
    }

    private static int readInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
