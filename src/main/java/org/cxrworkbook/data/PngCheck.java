package org.cxrworkbook.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * A fast sanity check of a PNG file without decoding its pixels: the 8-byte signature, the header
 * (width, height, bit depth, colour type) against {@link ImageLimits}, and the closing {@code IEND} chunk,
 * whose absence reveals a truncated file. Any valid bit depth and colour type (grey, RGBA, 16-bit) passes.
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
            byte[] header = new byte[33];
            in.readFully(header);
            PngHeader h = PngHeader.parse(file.toString(), header);
            Optional<String> limit = ImageLimits.problem(h);
            if (limit.isPresent()) {
                return limit;
            }
            return Optional.empty();
        } catch (DataException e) {
            return Optional.of(e.problems().get(0).message());
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable PNG: " + e.getMessage());
        }
    }
}
