package org.cxrworkbook.data.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --label-noise: labels flipped at the stated rate per finding, every flip listed, pixels untouched. */
class LabelNoiseTest {

    @TempDir
    static Path dir;
    static ChestXrayDataset clean;
    static ChestXrayDataset noisy;
    static List<String> flips;

    @BeforeAll
    static void generate() throws IOException {
        PhantomGenerator.builder().images(400).size(32).seed(4).threads(2).progress(null).build().generate(dir.resolve("clean"));
        PhantomGenerator.builder().images(400).size(32).seed(4).threads(2).labelNoise(0.2).progress(null).build()
                .generate(dir.resolve("noisy"));
        clean = ChestXrayDataset.load(dir.resolve("clean"));
        noisy = ChestXrayDataset.load(dir.resolve("noisy"));
        flips = Files.readAllLines(dir.resolve("noisy").resolve(LabelNoise.FILE));
    }

    @Test
    void eachFindingLosesAndGainsRoundedRateTimesItsPositivesAndKeepsItsPrevalence() {
        assertEquals("Image Index,Finding Label,Drawn,Labelled", flips.get(0));
        for (Finding f : Finding.values()) {
            long positives = clean.records().stream().filter(r -> r.has(f)).count();
            long lost = flips.stream().skip(1).filter(l -> l.contains("," + f.label() + ",1,0")).count();
            long gained = flips.stream().skip(1).filter(l -> l.contains("," + f.label() + ",0,1")).count();
            assertEquals(Math.round(0.2 * positives), lost, f + " positives flipped off");
            assertEquals(lost, gained, f + " as many negatives flipped on");
            assertEquals(positives, noisy.records().stream().filter(r -> r.has(f)).count(), f + " prevalence");
        }
    }

    @Test
    void theNoisyLabelsDifferFromTheDrawnOnesExactlyAtTheListedFlipsAndThePixelsAreTheSame() throws IOException {
        Map<String, ImageRecord> drawn = new HashMap<>();
        clean.records().forEach(r -> drawn.put(r.imageIndex(), r));
        int differences = 0;
        for (ImageRecord r : noisy.records()) {
            for (Finding f : Finding.values()) {
                boolean d = drawn.get(r.imageIndex()).has(f);
                boolean listed = flips.contains(r.imageIndex() + "," + f.label() + "," + (d ? "1,0" : "0,1"));
                assertEquals(d != r.has(f), listed, r.imageIndex() + " " + f);
                differences += listed ? 1 : 0;
            }
            assertArrayEquals(Files.readAllBytes(clean.imagePath(drawn.get(r.imageIndex()))), Files.readAllBytes(noisy.imagePath(r)));
        }
        assertEquals(flips.size() - 1, differences);
        // a label flipped off takes its box with it; no box for a label the film does not carry
        noisy.boxes().forEach(b -> assertTrue(noisy.records().stream()
                .anyMatch(r -> r.imageIndex().equals(b.imageIndex()) && r.has(b.finding())), b.toString()));
    }

    @Test
    void offByDefaultAndOutOfRangeIsRefused() {
        assertFalse(Files.exists(dir.resolve("clean").resolve(LabelNoise.FILE)));
        for (double bad : new double[] {-0.1, 0.6}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> PhantomGenerator.builder().labelNoise(bad).build());
            assertTrue(e.getMessage().contains("0..0.5"), e.getMessage());
        }
    }
}
