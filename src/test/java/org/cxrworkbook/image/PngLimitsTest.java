package org.cxrworkbook.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.ImageLimits;
import org.cxrworkbook.data.PngCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized and invalid PNG headers are refused from the header, naming the file and the size, before decoding. */
class PngLimitsTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearLimit() {
        System.clearProperty(ImageLimits.PROPERTY);
    }

    /** A PNG with this header whose pixel data is {@code rows} rows of zeros (filter 0), deflated while streaming. */
    static Path png(Path file, int width, int height, int depth, int colourType, int rows) throws IOException {
        int channels = switch (colourType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[1 + (int) (((long) width * channels * depth + 7) / 8)];
            for (int y = 0; y < rows; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 137, 80, 78, 71, 13, 10, 26, 10});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {(byte) depth, (byte) colourType, 0, 0, 0});
        chunk(b, "IHDR", ihdr.toByteArray());
        chunk(b, "IDAT", idat.toByteArray());
        chunk(b, "IEND", new byte[0]);
        Files.write(file, b.toByteArray());
        return file;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    @Test
    void headerClaiming100000SquaredIsAnInspectProblemAndRefusedByTheDecoder() throws Exception {
        Path f = png(dir.resolve("00000001_000.png"), 100_000, 100_000, 8, 0, 1);
        String problem = PngCheck.problem(f).orElseThrow();
        assertTrue(problem.contains("100000x100000") && problem.contains("8192"), problem);
        DataException e = assertThrows(DataException.class, () -> PngReader.read(f));
        assertTrue(e.getMessage().contains("00000001_000.png") && e.getMessage().contains("100000x100000"),
                e.getMessage());
    }

    @Test
    void sixteenBitRgba16384HeaderIsRefusedNamingFileAndSizeNotNegativeArraySize() throws Exception {
        Path f = png(dir.resolve("big.png"), 16384, 16384, 16, 6, 1);
        DataException e = assertThrows(DataException.class, () -> PngReader.read(f));
        assertTrue(e.getMessage().contains("big.png") && e.getMessage().contains("16384x16384"), e.getMessage());
        // raised to the hard maximum, the size is accepted and the row arithmetic (16384·8 bytes) cannot overflow:
        // the short pixel data is then reported as truncated, still naming the file
        System.setProperty(ImageLimits.PROPERTY, "16384");
        DataException t = assertThrows(DataException.class, () -> PngReader.read(f));
        assertTrue(t.getMessage().contains("big.png") && t.getMessage().contains("truncated"), t.getMessage());
    }

    @Test
    void aSmallFileThatReallyDecodesTo16384SquaredIsRefusedFromItsHeader() throws Exception {
        Path f = png(dir.resolve("bomb.png"), 16384, 16384, 8, 0, 16384);
        assertTrue(Files.size(f) < 400_000, "a zip bomb: " + Files.size(f) + " bytes");
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        DataException e = assertThrows(DataException.class, () -> PngReader.read(f));
        assertTrue(e.getMessage().contains("16384x16384"), e.getMessage());
        assertTrue(PngCheck.problem(f).orElseThrow().contains("16384x16384"));
        long after = rt.totalMemory() - rt.freeMemory();
        assertTrue(after - before < 64L << 20, "nothing image-sized allocated: " + (after - before));
    }

    @Test
    void invalidBitDepthIsAnInspectProblem() throws Exception {
        Path f = png(dir.resolve("odd.png"), 8, 8, 3, 0, 8);
        String problem = PngCheck.problem(f).orElseThrow();
        assertTrue(problem.contains("bit depth 3"), problem);
    }

    @Test
    void theLimitIsConfigurableAndAnInvalidValueIsNamed() throws Exception {
        Path f = png(dir.resolve("eight.png"), 8, 8, 8, 0, 8);
        assertEquals(8, PngReader.read(f).width());
        System.setProperty(ImageLimits.PROPERTY, "4");
        DataException e = assertThrows(DataException.class, () -> PngReader.read(f));
        assertTrue(e.getMessage().contains("8x8") && e.getMessage().contains("limit of 4"), e.getMessage());
        System.setProperty(ImageLimits.PROPERTY, "lots");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, ImageLimits::maxSide);
        assertTrue(bad.getMessage().contains("cxr.maxImageSide=lots") && bad.getMessage().contains("16384"),
                bad.getMessage());
    }

    @Test
    void streamedDecodeOfManyIdatChunksMatchesImageIo() throws Exception {
        // ImageIO writes big images in several IDAT chunks; the streaming decoder must join them
        var img = new java.awt.image.BufferedImage(300, 200, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        var r = img.getRaster();
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                r.setSample(x, y, 0, (x * 211 + y * 97) % 65536);
            }
        }
        Path f = dir.resolve("grad16.png");
        javax.imageio.ImageIO.write(img, "png", f.toFile());
        Pixels fast = PngReader.read(f);
        Pixels ref = PngReader.toGrey(PngReader.decode(f));
        assertEquals(ref.width(), fast.width());
        for (int y = 0; y < 200; y += 7) {
            for (int x = 0; x < 300; x += 11) {
                assertEquals(ref.data()[y * 300 + x], fast.data()[y * 300 + x], 1e-3, "pixel " + x + "," + y);
            }
        }
    }
}
