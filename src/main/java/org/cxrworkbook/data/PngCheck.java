package org.cxrworkbook.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * A fast sanity check of a PNG file without decoding its pixels: the 8-byte signature, the header
 * (width, height) as read by ImageIO, and the closing {@code IEND} chunk, whose absence reveals a
 * truncated file. Any bit depth and colour type (grey, RGBA, 16-bit) passes.
 */
public final class PngCheck {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Last 12 bytes of every complete PNG: length 0, "IEND", its CRC. */
    private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    private PngCheck() {
    }

    /** Empty when the file looks like a complete PNG, else what is wrong with it. */
    public static Optional<String> problem(Path file) {
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            long length = in.length();
            if (length < SIGNATURE.length + 25 + IEND.length) {
                return Optional.of("truncated PNG: only " + length + " bytes");
            }
            byte[] head = new byte[SIGNATURE.length];
            in.readFully(head);
            if (!Arrays.equals(head, SIGNATURE)) {
                return Optional.of("not a PNG file (bad signature)");
            }
            in.seek(length - IEND.length);
            byte[] tail = new byte[IEND.length];
            in.readFully(tail);
            if (!Arrays.equals(tail, IEND)) {
                return Optional.of("truncated or corrupt PNG: no IEND chunk at the end");
            }
            in.seek(0);
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    return Optional.of("PNG has size " + w + "x" + h);
                }
            } finally {
                reader.dispose();
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable PNG: " + e.getMessage());
        }
    }
}
