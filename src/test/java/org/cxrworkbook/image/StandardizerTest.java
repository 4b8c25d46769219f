package org.cxrworkbook.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void samplewiseByHand() {
        // mean 2.5, population std sqrt(1.25) = 1.1180340
        Pixels p = Pixels.grey(2, 2, new float[] {1, 2, 3, 4});
        Standardizer.samplewise().apply(p);
        double d = Math.sqrt(1.25) + 1e-6;
        assertArrayEquals(new float[] {(float) (-1.5 / d), (float) (-0.5 / d), (float) (0.5 / d), (float) (1.5 / d)}, p.data(), 1e-6f);
        PixelStats s = PixelStats.of(p);
        assertEquals(0, s.mean(), 1e-5);
        assertEquals(1, s.std(), 1e-5);
    }

    @Test
    void samplewiseUsesAllChannels() {
        // channel 0 = [0, 2], channel 1 = [4, 6]: one mean (3) and one std (sqrt(5)) over all four values, as Keras
        Pixels p = new Pixels(2, 1, 2, new float[] {0, 2, 4, 6});
        Standardizer.samplewise().apply(p);
        double d = Math.sqrt(5) + 1e-6;
        assertArrayEquals(new float[] {(float) (-3 / d), (float) (-1 / d), (float) (1 / d), (float) (3 / d)}, p.data(), 1e-6f);
    }

    @Test
    void constantImageStaysFinite() {
        Pixels p = Pixels.grey(3, 3, new float[] {5, 5, 5, 5, 5, 5, 5, 5, 5});
        Standardizer.samplewise().apply(p);
        for (float v : p.data()) {
            assertEquals(0f, v);
        }
        Pixels q = Pixels.grey(1, 2, new float[] {5, 5});
        Standardizer.featurewise(FeaturewiseStats.fit(List.of(q.copy()))).apply(q);
        assertArrayEquals(new float[] {0, 0}, q.data());
    }

    @Test
    void nanImageIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Standardizer.samplewise().apply(Pixels.grey(1, 3, new float[] {1, Float.NaN, 2})));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        FeaturewiseStats stats = new FeaturewiseStats(new float[] {1}, new float[] {1}, 1);
        assertThrows(IllegalArgumentException.class,
                () -> Standardizer.featurewise(stats).apply(Pixels.grey(1, 2, new float[] {1, Float.POSITIVE_INFINITY})));
        assertThrows(IllegalArgumentException.class,
                () -> FeaturewiseStats.fit(List.of(Pixels.grey(1, 2, new float[] {Float.NaN, 1}))));
    }

    @Test
    void featurewiseStatisticsArePooledPerChannel() {
        // image A: ch0 [0, 2], ch1 [10, 10]; image B: ch0 [4, 6], ch1 [20, 20]
        // pooled ch0 = {0,2,4,6}: mean 3, std sqrt(5); ch1 = {10,10,20,20}: mean 15, std 5
        Pixels a = new Pixels(2, 1, 2, new float[] {0, 2, 10, 10});
        Pixels b = new Pixels(2, 1, 2, new float[] {4, 6, 20, 20});
        FeaturewiseStats s = FeaturewiseStats.fit(List.of(a, b));
        assertArrayEquals(new float[] {3, 15}, s.mean(), 1e-6f);
        assertArrayEquals(new float[] {(float) Math.sqrt(5), 5}, s.std(), 1e-6f);
        assertEquals(2, s.images());
        Pixels x = new Pixels(2, 1, 2, new float[] {3, 8, 15, 25});
        Standardizer.featurewise(s).apply(x);
        assertArrayEquals(new float[] {0, (float) (5 / (Math.sqrt(5) + 1e-6)), 0, (float) (10 / (5 + 1e-6))}, x.data(), 1e-6f);
    }

    @Test
    void featurewiseFittedImagesHaveZeroMeanUnitStdTogether() {
        Pixels a = Pixels.grey(2, 2, new float[] {10, 20, 30, 40});
        Pixels b = Pixels.grey(2, 2, new float[] {50, 60, 70, 200});
        FeaturewiseStats s = FeaturewiseStats.fit(List.of(a, b));
        Pixels sa = Standardizer.featurewise(s).apply(a.copy());
        Pixels sb = Standardizer.featurewise(s).apply(b.copy());
        float[] all = new float[8];
        System.arraycopy(sa.data(), 0, all, 0, 4);
        System.arraycopy(sb.data(), 0, all, 4, 4);
        PixelStats st = PixelStats.of(all);
        assertEquals(0, st.mean(), 1e-5);
        assertEquals(1, st.std(), 1e-5);
    }

    @Test
    void oneChannelStatisticsBroadcastToReplicatedChannels() {
        FeaturewiseStats s = new FeaturewiseStats(new float[] {10}, new float[] {2}, 1);
        Pixels x = Pixels.grey(1, 1, new float[] {14}).replicate(3);
        Standardizer.featurewise(s).apply(x);
        float v = (float) (4 / (2 + 1e-6));
        assertArrayEquals(new float[] {v, v, v}, x.data(), 1e-6f);
    }

    @Test
    void combinedFollowsKerasOrder() {
        // samplewise first: [1,2,3,4] -> z = (x-2.5)/(sqrt(1.25)+1e-6); then featurewise with mean 1, std 2
        FeaturewiseStats s = new FeaturewiseStats(new float[] {1}, new float[] {2}, 1);
        Pixels p = Standardizer.keras(true, s).apply(Pixels.grey(1, 4, new float[] {1, 2, 3, 4}));
        double d = Math.sqrt(1.25) + 1e-6;
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = (float) (((i + 1 - 2.5) / d - 1) / (2 + 1e-6));
        }
        assertArrayEquals(expected, p.data(), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, Standardizer.keras(false, null).apply(Pixels.grey(1, 2, new float[] {1, 2})).data());
    }

    @Test
    void standardizationSelectsPerSplit() {
        Standardization def = Standardization.courseDefault();
        FeaturewiseStats s = new FeaturewiseStats(new float[] {0}, new float[] {1}, 1);
        assertEquals("samplewise", def.standardizer("train", s).describe());
        assertTrue(def.standardizer("test", s).describe().startsWith("featurewise"));
        assertEquals(100, def.fitSample());
        Standardization none = Standardization.builder().train(Standardization.Mode.NONE).val(Standardization.Mode.SAMPLEWISE)
                .test(Standardization.Mode.SAMPLEWISE).build();
        assertEquals("none", none.standardizer("train", null).describe());
        assertTrue(!none.needsFit());
        assertThrows(IllegalArgumentException.class, () -> def.standardizer("val", null));
        assertThrows(IllegalArgumentException.class, () -> def.mode("holdout"));
    }
}
