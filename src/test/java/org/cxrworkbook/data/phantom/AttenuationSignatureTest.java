package org.cxrworkbook.data.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;

/**
 * The attenuation renderer's findings at the classroom size (256²): each one changes the film where its label and
 * box say, visibly, at a size from its clinical range. A film with the finding is compared with its no-finding twin
 * (same patient, seed and noise stream), so every pixel difference is the finding's.
 */
class AttenuationSignatureTest {

    private static final int SIZE = 256;
    private static final long SEED = 21;
    private static final int FILMS = 8;
    /** First films of different patients (follow-ups share a lesion's place and size). */
    private static final List<PlannedImage> BASE = PhantomGenerator.builder().images(60).seed(SEED).build().plan().images()
            .stream().filter(p -> p.followUp() == 0).toList();

    static PlannedImage twin(int i, Set<Finding> findings) {
        PlannedImage p = BASE.get(i);
        return new PlannedImage(p.imageNumber(), p.imageIndex(), p.traits(), p.patientId(), p.followUp(), findings,
                "PA", p.age(), p.split());
    }

    static ChestRenderer.Film film(int i, Set<Finding> findings) {
        return ChestRenderer.render(twin(i, findings), SIZE, Site.A, SEED, Renderer.ATTENUATION);
    }

    static boolean inAnyBox(List<BoundingBox> boxes, int x, int y) {
        return boxes.stream().anyMatch(b -> b.contains(x + 0.5, y + 0.5));
    }

    /** Share of the absolute pixel difference between two films that falls inside the boxes. */
    static double shareInside(byte[] with, byte[] without, List<BoundingBox> boxes) {
        double inside = 0;
        double total = 0;
        for (int i = 0; i < with.length; i++) {
            double d = Math.abs((with[i] & 0xFF) - (without[i] & 0xFF));
            total += d;
            if (inAnyBox(boxes, i % SIZE, i / SIZE)) {
                inside += d;
            }
        }
        return total == 0 ? 0 : inside / total;
    }

    /** Mean absolute grey-level change inside a box. */
    static double meanChange(byte[] with, byte[] without, BoundingBox b) {
        double sum = 0;
        int n = 0;
        for (int y = (int) b.y(); y < (int) Math.ceil(b.y() + b.height()); y++) {
            for (int x = (int) b.x(); x < (int) Math.ceil(b.x() + b.width()); x++) {
                sum += Math.abs((with[y * SIZE + x] & 0xFF) - (without[y * SIZE + x] & 0xFF));
                n++;
            }
        }
        return sum / n;
    }

    static double mmPerPixel(int i) {
        return PhantomPlan.filmWidthMm(BASE.get(i).imageIndex()) / SIZE;
    }

    /** The 90th percentile of the absolute grey-level change inside a box: how strongly the lesion shows. */
    static double p90Change(byte[] with, byte[] without, BoundingBox b, int size) {
        List<Integer> d = new ArrayList<>();
        for (int y = (int) b.y(); y < (int) Math.ceil(b.y() + b.height()); y++) {
            for (int x = (int) b.x(); x < (int) Math.ceil(b.x() + b.width()); x++) {
                d.add(Math.abs((with[y * size + x] & 0xFF) - (without[y * size + x] & 0xFF)));
            }
        }
        d.sort(null);
        return d.get((int) (0.9 * (d.size() - 1)));
    }

    @Test
    void everyLocalisableFindingChangesTheFilmInsideItsBoxesAndVisibly() {
        for (Finding f : LesionPainter.LOCALISABLE) {
            List<Double> strengths = new ArrayList<>();
            for (int i = 0; i < FILMS; i++) {
                ChestRenderer.Film normal = film(i, Set.of());
                ChestRenderer.Film sick = film(i, Set.of(f));
                assertFalse(sick.boxes().isEmpty(), f + " has a box on film " + i);
                sick.boxes().forEach(b -> assertEquals(f, b.finding()));
                double share = shareInside(sick.pixels(), normal.pixels(), sick.boxes());
                assertTrue(share > 0.9, f + " film " + i + ": only " + share + " of the change lies inside its boxes");
                for (BoundingBox b : sick.boxes()) {
                    double p90 = p90Change(sick.pixels(), normal.pixels(), b, SIZE);
                    assertTrue(p90 >= 8, f + " film " + i + ": a tenth of its box changes by only " + p90 + " grey levels");
                    strengths.add(p90);
                }
            }
            double lo = strengths.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double hi = strengths.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertTrue(hi > 1.4 * lo, f + ": subtlety should vary between films, p90 change " + lo + ".." + hi);
        }
    }

    @Test
    void lesionSizesFollowTheClinicalRangesViaThePixelSpacing() {
        for (int i = 0; i < FILMS; i++) {
            double mm = mmPerPixel(i);
            for (BoundingBox b : film(i, Set.of(Finding.NODULE)).boxes()) {
                // a 6-30 mm nodule plus one pixel of blur margin on each side
                double side = Math.max(b.width(), b.height()) * mm;
                assertTrue(side >= 6 && side <= 30 + 2.5 * mm, "nodule box " + side + " mm");
            }
            for (BoundingBox b : film(i, Set.of(Finding.MASS)).boxes()) {
                double side = Math.max(b.width(), b.height()) * mm;
                assertTrue(side > 30 && side < 110, "mass box " + side + " mm");
            }
            for (BoundingBox b : film(i, Set.of(Finding.HERNIA)).boxes()) {
                double side = Math.max(b.width(), b.height()) * mm;
                assertTrue(side >= 30 && side <= 75, "hernia box " + side + " mm");
            }
        }
    }

    @Test
    void atTheOldTestSizeTheEffusionAndTheOtherFocalFindingsStayInsideTheirBoxes() {
        // the work-in-progress renderer failed here at 128² (effusion: 0.54 of the change inside its box)
        int size = 128;
        for (Finding f : LesionPainter.LOCALISABLE) {
            for (int i = 0; i < 4; i++) {
                ChestRenderer.Film normal = ChestRenderer.render(twin(i, Set.of()), size, Site.A, SEED, Renderer.ATTENUATION);
                ChestRenderer.Film sick = ChestRenderer.render(twin(i, Set.of(f)), size, Site.A, SEED, Renderer.ATTENUATION);
                double inside = 0;
                double total = 0;
                for (int p = 0; p < sick.pixels().length; p++) {
                    double d = Math.abs((sick.pixels()[p] & 0xFF) - (normal.pixels()[p] & 0xFF));
                    total += d;
                    int x = p % size;
                    int y = p / size;
                    if (sick.boxes().stream().anyMatch(b -> b.contains(x + 0.5, y + 0.5))) {
                        inside += d;
                    }
                }
                assertTrue(inside / total > 0.9, f + " at 128², film " + i + ": " + inside / total + " inside");
            }
        }
    }

    @Test
    void effusionFillsTheCostophrenicRecessOfItsSide() {
        for (int i = 0; i < FILMS; i++) {
            ChestRenderer.Film fluid = film(i, Set.of(Finding.EFFUSION));
            for (BoundingBox b : fluid.boxes()) {
                assertTrue(b.y() + b.height() > 0.6 * SIZE, "effusion reaches the lung base: " + b);
                assertTrue(b.y() > 0.45 * SIZE, "effusion stays in the lower zone: " + b);
                double cx = b.x() + b.width() / 2;
                assertTrue(Math.abs(cx - SIZE / 2.0) > 0.12 * SIZE, "effusion sits laterally, not at the midline: " + b);
            }
        }
    }

    @Test
    void aPatientsFilmsLookAlikeMoreThanTwoPatientsFilms() {
        List<PlannedImage> all = PhantomGenerator.builder().images(60).seed(SEED).build().plan().images();
        double same = 0;
        double other = 0;
        int pairs = 0;
        for (int i = 0; i + 1 < all.size() && pairs < 6; i++) {
            PlannedImage a = all.get(i);
            PlannedImage b = all.get(i + 1);
            if (!a.patientId().equals(b.patientId())) {
                continue;
            }
            PlannedImage stranger = all.stream().filter(p -> !p.patientId().equals(a.patientId())).skip(pairs).findFirst()
                    .orElseThrow();
            byte[] fa = render(a);
            same += meanAbsoluteDifference(fa, render(b));
            other += meanAbsoluteDifference(fa, render(stranger));
            pairs++;
        }
        assertTrue(pairs >= 3, "patients with follow-ups in the plan: " + pairs);
        assertTrue(same < 0.6 * other, "same patient " + same / pairs + " vs different patients " + other / pairs
                + " grey levels apart");
    }

    private static byte[] render(PlannedImage p) {
        PlannedImage clear = new PlannedImage(p.imageNumber(), p.imageIndex(), p.traits(), p.patientId(), p.followUp(),
                Set.of(), "PA", p.age(), p.split());
        return ChestRenderer.render(clear, 128, Site.A, SEED, Renderer.ATTENUATION).pixels();
    }

    private static double meanAbsoluteDifference(byte[] a, byte[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return s / a.length;
    }

    @Test
    void quantumNoiseGrowsAsTheExposureFallsAndIsTheSameGrainAtEverySize() {
        // noise alone: the same canvas developed with two noise seeds; SD of the difference / sqrt 2, in the lungs' grey range
        double low = noiseSd(256, -0.2);
        double high = noiseSd(256, 0.2);
        assertTrue(low > 1.2 * high, "noise at low exposure " + low + " vs high " + high);
        // per pixel, a 128² film has 4x the photons of a 256² one: half the noise SD
        double half = noiseSd(128, 0.0);
        double full = noiseSd(256, 0.0);
        assertTrue(half < 0.7 * full && half > 0.35 * full, "noise SD at 128² " + half + " vs 256² " + full);
    }

    private static double noiseSd(int size, double exposure) {
        PlannedImage p = twin(0, Set.of());
        Anatomy a = Anatomy.of(p.traits(), 0, false);
        a.rounded = true;
        Canvas c = new Canvas(size, 0, 1, 0, 0);
        AttenuationRenderer.drawAnatomy(a, c, p.traits());
        VesselTree.draw(a, c, p.traits().textureSeed());
        float[] normal = AttenuationRenderer.primary(c);
        byte[] one = AttenuationRenderer.develop(c, normal, exposure, 4.5, 1.0, 1);
        byte[] two = AttenuationRenderer.develop(c, normal, exposure, 4.5, 1.0, 2);
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < one.length; i++) {
            int g1 = one[i] & 0xFF;
            if (g1 > 40 && g1 < 215) {
                double d = g1 - (two[i] & 0xFF);
                sum += d;
                sq += d * d;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt((sq / n - mean * mean) / 2);
    }

    @Test
    void diffuseFindingsGetNoBoxAndTheClassicRendererDrawsOtherFilms() {
        assertTrue(film(0, Set.of(Finding.EDEMA, Finding.EMPHYSEMA, Finding.FIBROSIS)).boxes().isEmpty());
        byte[] classic = ChestRenderer.render(twin(0, Set.of()), 64, Site.A, SEED, Renderer.CLASSIC).pixels();
        byte[] attenuation = ChestRenderer.render(twin(0, Set.of()), 64, Site.A, SEED, Renderer.ATTENUATION).pixels();
        assertFalse(java.util.Arrays.equals(classic, attenuation), "the two renderers draw different films");
    }
}
