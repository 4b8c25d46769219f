package org.cxrworkbook.data.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;

/**
 * Each finding leaves a measurable mark: a film with the finding is compared with its no-finding twin
 * (same patient, same seed, same noise), so every pixel difference is the finding's. Classic renderer; the
 * attenuation renderer's signatures are {@code AttenuationSignatureTest}.
 */
class PhantomSignatureTest {

    private static final int SIZE = 128;
    private static final long SEED = 21;
    private static final List<PlannedImage> BASE = PhantomGenerator.builder().images(12).seed(SEED).build().plan().images();

    private static PlannedImage twin(int i, Set<Finding> findings) {
        PlannedImage p = BASE.get(i);
        return new PlannedImage(p.imageNumber(), p.imageIndex(), p.traits(), p.patientId(), p.followUp(), findings,
                "PA", p.age(), p.split());
    }

    private static ChestRenderer.Film film(int i, Set<Finding> findings) {
        return ChestRenderer.render(twin(i, findings), SIZE, Site.A, SEED, Renderer.CLASSIC);
    }

    private static double mean(byte[] px, BoundingBox b) {
        double sum = 0;
        int n = 0;
        for (int y = (int) b.y(); y < (int) (b.y() + b.height()); y++) {
            for (int x = (int) b.x(); x < (int) (b.x() + b.width()); x++) {
                sum += px[y * SIZE + x] & 0xFF;
                n++;
            }
        }
        return sum / n;
    }

    /** Share of the absolute pixel difference between two films that falls inside the boxes. */
    private static double shareInside(byte[] with, byte[] without, List<BoundingBox> boxes) {
        double inside = 0;
        double total = 0;
        for (int i = 0; i < with.length; i++) {
            double d = Math.abs((with[i] & 0xFF) - (without[i] & 0xFF));
            total += d;
            int x = i % SIZE;
            int y = i / SIZE;
            if (boxes.stream().anyMatch(b -> b.contains(x + 0.5, y + 0.5))) {
                inside += d;
            }
        }
        return total == 0 ? 0 : inside / total;
    }

    @Test
    void cardiomegalyRaisesTheCardiothoracicRatioAboveHalfAndWidensTheBrightHeart() {
        for (int i = 0; i < 4; i++) {
            ChestRenderer.Film normal = film(i, Set.of());
            ChestRenderer.Film big = film(i, Set.of(Finding.CARDIOMEGALY));
            assertTrue(normal.heartRatio() < 0.5, "normal CTR " + normal.heartRatio());
            assertTrue(big.heartRatio() > 0.5, "cardiomegaly CTR " + big.heartRatio());
            BoundingBox box = big.boxes().get(0);
            double gain = mean(big.pixels(), box) - mean(normal.pixels(), box);
            double wider = big.heartRatio() - normal.heartRatio();
            assertTrue(gain > 0, "heart box brighter: " + gain);
            assertTrue(wider < 0.08 || gain > 5, "a heart 8 % of the thorax wider brightens its box by " + gain);
        }
    }

    @Test
    void effusionWhitensTheCostophrenicRegion() {
        for (int i = 0; i < 4; i++) {
            ChestRenderer.Film normal = film(i, Set.of());
            ChestRenderer.Film fluid = film(i, Set.of(Finding.EFFUSION));
            for (BoundingBox box : fluid.boxes()) {
                double gain = mean(fluid.pixels(), box) - mean(normal.pixels(), box);
                assertTrue(gain > 15, "costophrenic box brighter by " + gain + " grey levels");
                assertTrue(box.y() + box.height() > 0.5 * SIZE, "effusion sits in the lower half: " + box);
            }
        }
    }

    @Test
    void emphysemaDarkensTheLungs() {
        for (int i = 0; i < 4; i++) {
            byte[] normal = film(i, Set.of()).pixels();
            byte[] emph = film(i, Set.of(Finding.EMPHYSEMA)).pixels();
            BoundingBox upperLungs = new BoundingBox("", Finding.EMPHYSEMA, 0.2 * SIZE, 0.25 * SIZE, 0.6 * SIZE, 0.25 * SIZE);
            assertTrue(mean(emph, upperLungs) < mean(normal, upperLungs) - 3, "hyperlucent lungs");
        }
    }

    @Test
    void focalFindingsChangePixelsMainlyInsideTheirBoxes() {
        for (Finding f : List.of(Finding.NODULE, Finding.MASS, Finding.CONSOLIDATION, Finding.PNEUMONIA,
                Finding.PNEUMOTHORAX, Finding.HERNIA, Finding.PLEURAL_THICKENING, Finding.INFILTRATION, Finding.EFFUSION)) {
            for (int i = 0; i < 3; i++) {
                ChestRenderer.Film normal = film(i, Set.of());
                ChestRenderer.Film sick = film(i, Set.of(f));
                assertTrue(!sick.boxes().isEmpty(), f + " has a box");
                sick.boxes().forEach(b -> assertEquals(f, b.finding()));
                double share = shareInside(sick.pixels(), normal.pixels(), sick.boxes());
                assertTrue(share > 0.6, f + ": only " + share + " of the change lies inside its box");
            }
        }
    }

    @Test
    void noduleIsBrighterAndHerniaDarkerThanTheirSurroundings() {
        for (int i = 0; i < 4; i++) {
            ChestRenderer.Film normal = film(i, Set.of());
            ChestRenderer.Film nodule = film(i, Set.of(Finding.NODULE));
            for (BoundingBox b : nodule.boxes()) {
                assertTrue(mean(nodule.pixels(), b) > mean(normal.pixels(), b) + 5, "nodule opacity");
            }
            ChestRenderer.Film hernia = film(i, Set.of(Finding.HERNIA));
            BoundingBox h = hernia.boxes().get(0);
            assertTrue(mean(hernia.pixels(), h) < mean(normal.pixels(), h) - 5, "retrocardiac lucency");
        }
    }

    @Test
    void diffuseFindingsGetNoBox() {
        ChestRenderer.Film diffuse = film(0, Set.of(Finding.EDEMA, Finding.EMPHYSEMA, Finding.FIBROSIS));
        assertTrue(diffuse.boxes().isEmpty());
    }
}
