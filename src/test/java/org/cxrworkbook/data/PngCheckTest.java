package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngCheckTest {

    @TempDir
    Path dir;

    @Test
    void acceptsGreyRgbaAnd16BitPngs() {
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_USHORT_GRAY}) {
            Path png = Fixtures.png(dir.resolve("t" + type + ".png"), type);
            assertEquals(Optional.empty(), PngCheck.problem(png), "type " + type);
        }
    }

    @Test
    void rejectsTruncatedAndNonPngFiles() throws Exception {
        Path good = Fixtures.png(dir.resolve("good.png"), BufferedImage.TYPE_BYTE_GRAY);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length - 20));
        assertEquals(Optional.of("truncated or corrupt PNG: no IEND chunk at the end"), PngCheck.problem(truncated));
        Path tiny = Files.write(dir.resolve("tiny.png"), Arrays.copyOf(bytes, 20));
        assertEquals(Optional.of("truncated PNG: only 20 bytes"), PngCheck.problem(tiny));
        byte[] jpegish = bytes.clone();
        jpegish[1] = 'X';
        Path notPng = Files.write(dir.resolve("notpng.png"), jpegish);
        assertEquals(Optional.of("not a PNG file (bad signature)"), PngCheck.problem(notPng));
        byte[] badHeader = bytes.clone();
        badHeader[12] = 'X'; // IHDR chunk type corrupted
        Path corrupt = Files.write(dir.resolve("corrupt.png"), badHeader);
        assertTrue(PngCheck.problem(corrupt).orElseThrow().contains("no header chunk (IHDR)"), PngCheck.problem(corrupt).toString());
    }
}
