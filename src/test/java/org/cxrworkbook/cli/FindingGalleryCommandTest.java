package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.data.phantom.Renderer;
import org.cxrworkbook.plot.DataPlots;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cxr finding-gallery} and DataPlots.findingGallery: one film per finding, its boxes drawn where they are. */
class FindingGalleryCommandTest {

    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void phantom() {
        data = dir.resolve("att");
        PhantomGenerator.builder().images(160).size(64).seed(9).threads(2).renderer(Renderer.ATTENUATION).progress(null)
                .build().generate(data);
    }

    @Test
    void oneFilmPerFindingEachCarryingItAndTheBoxOutlineIsWhereTheBoxIs() throws IOException {
        ChestXrayDataset ds = ChestXrayDataset.load(data);
        Map<Finding, ImageRecord> picked = DataPlots.findingExamples(ds);
        assertEquals(14, picked.size(), "the phantom's floor puts every finding in 160 films");
        picked.forEach((f, r) -> assertTrue(r.has(f), f + " on " + r.imageIndex()));
        Path out = dir.resolve("g.png");
        int rc = new CommandLine(new Main()).execute("finding-gallery", "--data", data.toString(), "--out", out.toString(),
                "--tile", "64", "--columns", "7");
        assertEquals(0, rc);
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(7 * 64, img.getWidth());
        assertEquals(2 * (64 + 30), img.getHeight());
        // tile size = PNG size: the first localisable finding's box corner is drawn white in its tile
        int tile = 0;
        for (Map.Entry<Finding, ImageRecord> e : picked.entrySet()) {
            BoundingBox b = ds.boxes(e.getValue().imageIndex()).stream().filter(x -> x.finding() == e.getKey())
                    .findFirst().orElse(null);
            if (b != null) {
                int x = (tile % 7) * 64 + (int) Math.round(b.x());
                int y = (tile / 7) * 94 + 30 + (int) Math.round(b.y());
                assertEquals(255, img.getRaster().getSample(x, y, 0), e.getKey() + " box corner at " + x + "," + y);
                return;
            }
            tile++;
        }
        throw new AssertionError("no finding with a box");
    }

    @Test
    void badOptionsAreRefusedAndNothingIsWritten() {
        Path out = dir.resolve("bad.png");
        assertEquals(2, new CommandLine(new Main()).execute("finding-gallery", "--data", data.toString(), "--out",
                out.toString(), "--tile", "8"));
        assertEquals(2, new CommandLine(new Main()).execute("finding-gallery", "--data", dir.resolve("none").toString(),
                "--out", out.toString()));
        assertFalse(Files.exists(out));
    }
}
