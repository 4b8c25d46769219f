package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cxr phantom-realism --figure}: the sets' first films side by side, real films only when asked for. */
class PhantomRealismFigureTest {

    @TempDir
    static Path dir;
    static Path phantom;

    @BeforeAll
    static void phantom() {
        phantom = dir.resolve("ph");
        PhantomGenerator.builder().images(4).size(64).seed(3).threads(1).progress(null).build().generate(phantom);
    }

    @Test
    void oneRowPerSetAndTheRealFilmsOnlyWithFigureWithReal() throws IOException {
        Path out = dir.resolve("fig.png");
        String set = "one=" + phantom;
        assertEquals(0, new CommandLine(new Main()).execute("phantom-realism", "--real", phantom.toString(), "--phantom",
                set, "--phantom", "two=" + phantom, "--size", "64", "--figure", out.toString(), "--figure-films", "3"));
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(3 * 192, img.getWidth());
        assertEquals(2 * (192 + 16), img.getHeight(), "two phantom rows, no real row");
        // the same film in both rows: identical tiles
        assertEquals(img.getRaster().getSample(96, 16 + 96, 0), img.getRaster().getSample(96, 208 + 16 + 96, 0));
        assertEquals(0, new CommandLine(new Main()).execute("phantom-realism", "--real", phantom.toString(), "--phantom",
                set, "--size", "64", "--figure", out.toString(), "--figure-films", "2", "--figure-with-real"));
        img = ImageIO.read(out.toFile());
        assertEquals(2 * (192 + 16), img.getHeight(), "the real row, then the phantom row");
    }

    @Test
    void figureFilmsOutOfRangeIsRefusedWithTheRange() {
        Path out = dir.resolve("bad.png");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("phantom-realism", "--real", phantom.toString(), "--phantom", phantom.toString(),
                "--size", "64", "--figure", out.toString(), "--figure-films", "11"));
        assertTrue(err.toString().contains("--figure-films must be in 1..10, got 11"), err.toString());
        assertFalse(Files.exists(out));
    }
}
