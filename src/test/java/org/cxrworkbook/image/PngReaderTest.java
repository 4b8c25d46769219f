package org.cxrworkbook.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngReaderTest {

    @TempDir
    Path dir;

    @Test
    void eightBitGrey() throws Exception {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = {0, 1, 127, 128, 254, 255};
        img.getRaster().setPixels(0, 0, 3, 2, v);
        Path f = dir.resolve("g.png");
        ImageIO.write(img, "png", f.toFile());
        Pixels p = PngReader.read(f);
        assertEquals(2, p.height());
        assertEquals(3, p.width());
        assertArrayEquals(new float[] {0, 1, 127, 128, 254, 255}, p.data());
    }

    @Test
    void rgbaTakesChannelZero() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80_10_20_30); // A=128 R=16 G=32 B=48
        img.setRGB(1, 0, 0xFF_C8_00_FF);
        Path f = dir.resolve("rgba.png");
        ImageIO.write(img, "png", f.toFile());
        assertArrayEquals(new float[] {16, 200}, PngReader.read(f).data());
    }

    @Test
    void sixteenBitIsScaled() throws Exception {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 65535, 32768});
        Path f = dir.resolve("g16.png");
        ImageIO.write(img, "png", f.toFile());
        assertArrayEquals(new float[] {0, 255, 32768 * 255f / 65535}, PngReader.read(f).data(), 1e-3f);
    }

    @Test
    void fastDecoderAgreesWithImageIo() throws Exception {
        Path f = dir.resolve("synthetic.png");
        ImageIO.write(SyntheticRadiographs.image(200, 9), "png", f.toFile());
        byte[] bytes = Files.readAllBytes(f);
        Pixels fast = FastPngDecoder.decode(bytes);
        Pixels slow = PngReader.toGrey(ImageIO.read(f.toFile()));
        assertArrayEquals(slow.data(), fast.data());
    }

    @Test
    void paletteImagesGoThroughImageIo() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
        img.setRGB(0, 0, 0xFF_FF_00_00);
        img.setRGB(1, 0, 0xFF_00_00_00);
        Path f = dir.resolve("palette.png");
        ImageIO.write(img, "png", f.toFile());
        assertEquals(null, FastPngDecoder.decode(Files.readAllBytes(f)));
        assertArrayEquals(new float[] {255, 0}, PngReader.read(f).data());
    }

    @Test
    void badFilesNameTheFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        DataException e1 = assertThrows(DataException.class, () -> PngReader.read(empty));
        assertTrue(e1.getMessage().contains("empty.png") && e1.getMessage().contains("0 bytes"), e1.getMessage());

        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image");
        DataException e2 = assertThrows(DataException.class, () -> PngReader.read(text));
        assertTrue(e2.getMessage().contains("notes.png") && e2.getMessage().contains("not a readable image"), e2.getMessage());

        Path good = dir.resolve("good.png");
        ImageIO.write(SyntheticRadiographs.image(64, 1), "png", good.toFile());
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));
        DataException e3 = assertThrows(DataException.class, () -> PngReader.read(cut));
        assertTrue(e3.getMessage().contains("cut.png"), e3.getMessage());

        DataException e4 = assertThrows(DataException.class, () -> PngReader.read(dir.resolve("missing.png")));
        assertTrue(e4.getMessage().contains("missing.png") && e4.getMessage().contains("not found"), e4.getMessage());
    }
}
