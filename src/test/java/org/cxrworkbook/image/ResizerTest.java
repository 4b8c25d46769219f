package org.cxrworkbook.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResizerTest {

    @Test
    void downscaleByTwoUsesWidenedTriangle() {
        // weights by hand for 4 -> 2 (support 2): output 0 = [3,3,1]/7 over x0..x2, output 1 = [1,3,3]/7 over x1..x3
        Pixels out = Resizer.resize(Pixels.grey(1, 4, new float[] {0, 0, 8, 8}), 1, 2);
        assertArrayEquals(new float[] {8f / 7, 48f / 7}, out.data(), 1e-5f);
    }

    @Test
    void upscaleIsBilinear() {
        // 2 -> 4: centres at 0.25, 0.75, 1.25, 1.75 source pixels; edges clamp
        Pixels out = Resizer.resize(Pixels.grey(1, 2, new float[] {0, 10}), 1, 4);
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10}, out.data(), 1e-5f);
        Pixels small = Resizer.resize(Pixels.grey(64, 64, new float[64 * 64]), 128, 128);
        assertEquals(128, small.height());
        assertEquals(128, small.width());
    }

    @Test
    void constantStaysConstant() {
        float[] c = new float[300 * 200];
        Arrays.fill(c, 77f);
        for (float v : Resizer.resize(Pixels.grey(300, 200, c), 224, 224).data()) {
            assertEquals(77f, v, 1e-3f);
        }
    }

    @Test
    void downscaleIsAntialiased() {
        // A one-pixel checkerboard (0/255) shrunk 1024 -> 224 must come out near its mean, not as aliasing stripes.
        int n = 1024;
        float[] c = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                c[y * n + x] = ((x + y) & 1) == 0 ? 255f : 0f;
            }
        }
        PixelStats s = PixelStats.of(Resizer.resize(Pixels.grey(n, n, c), 224, 224));
        assertEquals(127.5, s.mean(), 1.0);
        assertTrue(s.max() - s.min() < 30, "range " + s);
    }
}
