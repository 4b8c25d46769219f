package org.cxrworkbook.image.realism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The realism measures on synthetic films whose answers are known by construction. */
class FilmMeasuresTest {

    private static final int N = 128;

    /** Two dark elliptical "lungs" (grey 40) in a bright body (200) with a linear 10-90 % ramp of 8 px at their borders. */
    static float[] twoLungs(double ramp) {
        float[] img = new float[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double dl = ellipseDistance(x, y, 0.3 * N);
                double dr = ellipseDistance(x, y, 0.7 * N);
                double d = Math.min(dl, dr);          // px outside the nearer lung (negative inside)
                double t = Math.max(0, Math.min(1, 0.5 + d / (ramp / 0.8)));
                img[y * N + x] = (float) (40 + 160 * t);
            }
        }
        return img;
    }

    private static double ellipseDistance(double x, double y, double cx) {
        double ax = 0.13 * N;
        double ay = 0.25 * N;
        double cy = 0.47 * N;
        double q = Math.sqrt((x - cx) * (x - cx) / (ax * ax) + (y - cy) * (y - cy) / (ay * ay));
        return (q - 1) * ax;   // roughly px along the horizontal axis
    }

    @Test
    void lungMaskFindsBothLungsAndNothingElse() {
        LungMask.Mask m = LungMask.of(twoLungs(4), N);
        assertEquals(2, m.components().size());
        double lungArea = 2 * Math.PI * 0.13 * N * 0.25 * N;
        assertEquals(lungArea, m.area(), 0.12 * lungArea, "mask area vs the two ellipses");
        assertTrue(m.lung()[(int) (0.47 * N) * N + (int) (0.3 * N)]);
        assertTrue(!m.lung()[(int) (0.47 * N) * N + N / 2], "midline is not lung");
    }

    @Test
    void riseWidthOfALinearRampIsItsTenToNinetyLength() {
        for (double ramp : new double[] {3, 6}) {
            FilmMeasures f = FilmMeasures.of("ramp", twoLungs(ramp), N);
            // the horizontal profile crosses the border at right angles in the middle rows, a little obliquely above and below
            assertEquals(ramp, f.lateralEdgeWidth(), 0.25 * ramp + 0.5, "lateral width for ramp " + ramp);
            assertEquals(ramp, f.medialEdgeWidth(), 0.25 * ramp + 0.5, "medial width for ramp " + ramp);
        }
    }

    @Test
    void spectrumSlopeOfPowerLawNoiseIsItsExponent() {
        // sum of random-phase cosines with amplitude f^-1.5, i.e. power f^-3
        SplittableRandom r = new SplittableRandom(3);
        float[] img = new float[N * N];
        for (int kx = -40; kx <= 40; kx++) {
            for (int ky = 1; ky <= 40; ky++) {
                double f = Math.sqrt(kx * kx + ky * ky) / N;
                double amp = Math.pow(f, -1.5) * 0.01;
                double phase = r.nextDouble() * 2 * Math.PI;
                for (int y = 0; y < N; y++) {
                    for (int x = 0; x < N; x++) {
                        img[y * N + x] += (float) (amp * Math.cos(2 * Math.PI * (kx * x + ky * y) / N + phase));
                    }
                }
            }
        }
        double slope = FilmMeasures.spectrumSlope(img, N);
        assertEquals(-3.0, slope, 0.35, "power-law slope");
    }

    @Test
    void histogramDistanceIsTheShiftBetweenTwoSpikes() {
        double[] a = new double[FilmMeasures.BINS];
        double[] b = new double[FilmMeasures.BINS];
        a[10] = 1;
        b[15] = 1;
        assertEquals(5 * 256.0 / FilmMeasures.BINS, RealismReport.distance(a, b, true), 1e-9);
        assertEquals(Math.sqrt(2.0 / FilmMeasures.BINS), RealismReport.distance(a, b, false), 1e-9);
    }

    @Test
    void reportGivesZeroDistanceForASetIdenticalToTheRealFilms() {
        List<FilmMeasures> real = List.of(FilmMeasures.of("a", twoLungs(3), N), FilmMeasures.of("b", twoLungs(5), N));
        Map<String, List<FilmMeasures>> sets = new LinkedHashMap<>();
        sets.put("same", real);
        sets.put("blurred", List.of(FilmMeasures.of("c", twoLungs(9), N)));
        RealismReport rep = RealismReport.compare(real, sets);
        RealismReport.Row lateral = rep.rows().get(4);
        assertEquals(0, lateral.sets().get(0).distance(), 1e-9);
        assertTrue(lateral.sets().get(1).distance() > 3, "a blurrier set is further away: " + lateral);
        assertTrue(rep.toJson().contains("\"real_films\" : 2"));
        assertTrue(rep.toMarkdown().startsWith("| measure | unit | real (2 films) |"));
    }
}
