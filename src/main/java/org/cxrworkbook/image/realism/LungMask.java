package org.cxrworkbook.image.realism;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An automatic lung-field mask, computed the same way for real and phantom films so both are measured
 * over the same kind of region: box-blur (radius n/128); Otsu threshold T inside the central thorax window
 * (rows 12–85 %, columns 5–95 %); per image half, L = 10th percentile of a mid-lung box (rows 30–60 %,
 * columns 15–45 % from that side) and dark = below L + 0.7 (T − L); an erosion (radius n/32) cuts thin dark
 * bridges to other dark regions; eroded regions touching the window's top row or the
 * half's outer window column (air around the body) are dropped; the eroded region holding the box's darkest pixel, grown back by the
 * erosion radius inside the dark pixels of that half, is the lung; holes (vessels, nodules) filled; a lung
 * under 0.5 % of the image is dropped.
 *
 * <p>Hand-written: the class path has no image-morphology library; the steps are a few loops.
 */
public final class LungMask {

    /** The mask (1 = lung) and each lung's row extent. */
    public record Mask(int size, boolean[] lung, int top, int bottom, List<int[]> components) {

        /** Number of lung pixels. */
        public int area() {
            int n = 0;
            for (boolean b : lung) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }

    private LungMask() {
    }

    /** Mask of a square grey image (values 0..255, row-major, side {@code n}). */
    public static Mask of(float[] img, int n) {
        float[] s = boxBlur(img, n, Math.max(1, n / 128));
        int r0 = (int) (0.12 * n);
        int r1 = (int) (0.85 * n);
        int c0 = (int) (0.05 * n);
        int c1 = (int) (0.95 * n);
        double t = otsu(s, n, r0, r1, c0, c1);
        int e = Math.max(1, n / 32);
        boolean[] lung = new boolean[n * n];
        List<int[]> comps = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            int lo = side == 0 ? 0 : n / 2;
            int hi = side == 0 ? n / 2 : n;
            // the side's lung level: 10th percentile of its mid-lung box (rows 30-60 %, columns 15-45 % from the side)
            int bx0 = side == 0 ? (int) (0.15 * n) : (int) (0.55 * n);
            int bx1 = side == 0 ? (int) (0.45 * n) : (int) (0.85 * n);
            List<Float> box = new ArrayList<>();
            for (int y = (int) (0.3 * n); y < (int) (0.6 * n); y++) {
                for (int x = bx0; x < bx1; x++) {
                    box.add(s[y * n + x]);
                }
            }
            box.sort(null);
            float level = box.get(box.size() / 10);
            double ts = level + 0.7 * (t - level);
            boolean[] dark = new boolean[n * n];
            for (int y = r0; y < r1; y++) {
                for (int x = Math.max(c0, lo); x < Math.min(c1, hi); x++) {
                    dark[y * n + x] = s[y * n + x] < ts;
                }
            }
            // an erosion cuts thin dark bridges (trachea, axillae, neck) between the lung and other dark regions
            boolean[] core = erode(dark, n, e);
            dropBorderRegions(core, n, r0 + e + 1, Math.max(c0, lo) + e + 1, Math.min(c1, hi) - e - 2, side);
            int seed = -1;
            float best = Float.MAX_VALUE;
            for (int y = (int) (0.3 * n); y < (int) (0.6 * n); y++) {
                for (int x = bx0; x < bx1; x++) {
                    int i = y * n + x;
                    if (core[i] && s[i] < best) {
                        best = s[i];
                        seed = i;
                    }
                }
            }
            if (seed < 0) {
                continue;
            }
            boolean[] region = grow(core, n, seed, lo, hi);
            boolean[] grown = dilate(region, n, e);
            int[] c = {side, 0, 0, n, -1, n, -1};
            for (int i = 0; i < n * n; i++) {
                int x = i % n;
                if (grown[i] && dark[i] && x >= lo && x < hi) {
                    lung[i] = true;
                    int y = i / n;
                    c[1]++;
                    c[3] = Math.min(c[3], y);
                    c[4] = Math.max(c[4], y);
                    c[5] = Math.min(c[5], x);
                    c[6] = Math.max(c[6], x);
                }
            }
            if (c[1] >= 0.005 * n * n) {
                comps.add(c);
            } else {
                for (int i = 0; i < n * n; i++) {
                    int x = i % n;
                    if (x >= lo && x < hi) {
                        lung[i] = false;
                    }
                }
            }
        }
        fillHoles(lung, n);
        int top = comps.stream().mapToInt(c -> c[3]).min().orElse(n);
        int bottom = comps.stream().mapToInt(c -> c[4]).max().orElse(-1);
        return new Mask(n, lung, top, bottom, comps);
    }

    /** Clears the regions of {@code m} touching the window's top row or its outer column (air around the body). */
    private static void dropBorderRegions(boolean[] m, int n, int top, int left, int right, int side) {
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = y * n + x;
                boolean border = y <= top || (side == 0 ? x <= left : x >= right);
                if (border && m[i]) {
                    boolean[] region = grow(m, n, i, 0, n);
                    for (int j = 0; j < n * n; j++) {
                        if (region[j]) {
                            m[j] = false;
                        }
                    }
                }
            }
        }
    }

    /** The 4-connected region of {@code m} containing {@code seed}, within columns lo..hi-1. */
    private static boolean[] grow(boolean[] m, int n, int seed, int lo, int hi) {
        boolean[] region = new boolean[n * n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        region[seed] = true;
        queue.add(seed);
        while (!queue.isEmpty()) {
            int p = queue.poll();
            int y = p / n;
            int x = p % n;
            int[] nb = {x > lo ? p - 1 : -1, x < hi - 1 ? p + 1 : -1, y > 0 ? p - n : -1, y < n - 1 ? p + n : -1};
            for (int q : nb) {
                if (q >= 0 && m[q] && !region[q]) {
                    region[q] = true;
                    queue.add(q);
                }
            }
        }
        return region;
    }

    /** Pixels whose whole (2r+1)² square lies in the mask. */
    static boolean[] erode(boolean[] m, int n, int r) {
        float[] f = new float[n * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = m[i] ? 1 : 0;
        }
        float[] b = boxBlur(f, n, r);
        boolean[] out = new boolean[n * n];
        for (int i = 0; i < f.length; i++) {
            out[i] = b[i] > 0.999f;
        }
        return out;
    }

    /** Pixels whose (2r+1)² square touches the mask. */
    static boolean[] dilate(boolean[] m, int n, int r) {
        float[] f = new float[n * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = m[i] ? 1 : 0;
        }
        float[] b = boxBlur(f, n, r);
        boolean[] out = new boolean[n * n];
        for (int i = 0; i < f.length; i++) {
            out[i] = b[i] > 0.001f;
        }
        return out;
    }

    /** Otsu's threshold over a window of the image (256 bins over 0..255). */
    static double otsu(float[] img, int n, int r0, int r1, int c0, int c1) {
        double[] h = new double[256];
        int total = 0;
        for (int y = r0; y < r1; y++) {
            for (int x = c0; x < c1; x++) {
                h[Math.max(0, Math.min(255, Math.round(img[y * n + x])))]++;
                total++;
            }
        }
        double sum = 0;
        for (int i = 0; i < 256; i++) {
            sum += i * h[i];
        }
        double sumB = 0;
        double wB = 0;
        double best = -1;
        double t = 128;
        for (int i = 0; i < 256; i++) {
            wB += h[i];
            if (wB == 0 || wB == total) {
                continue;
            }
            sumB += i * h[i];
            double mB = sumB / wB;
            double mF = (sum - sumB) / (total - wB);
            double between = wB * (total - wB) * (mB - mF) * (mB - mF);
            if (between > best) {
                best = between;
                t = i + 0.5;
            }
        }
        return t;
    }

    /** Square box blur of radius r (clamped at the borders). */
    static float[] boxBlur(float[] img, int n, int r) {
        float[] tmp = new float[n * n];
        float[] out = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                int c = 0;
                for (int k = Math.max(0, x - r); k <= Math.min(n - 1, x + r); k++) {
                    s += img[y * n + k];
                    c++;
                }
                tmp[y * n + x] = (float) (s / c);
            }
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                int c = 0;
                for (int k = Math.max(0, y - r); k <= Math.min(n - 1, y + r); k++) {
                    s += tmp[k * n + x];
                    c++;
                }
                out[y * n + x] = (float) (s / c);
            }
        }
        return out;
    }

    /** Sets every non-lung pixel that cannot reach the image border through non-lung pixels. */
    private static void fillHoles(boolean[] lung, int n) {
        boolean[] outside = new boolean[n * n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            for (int p : new int[] {i, (n - 1) * n + i, i * n, i * n + n - 1}) {
                if (!lung[p] && !outside[p]) {
                    outside[p] = true;
                    queue.add(p);
                }
            }
        }
        while (!queue.isEmpty()) {
            int p = queue.poll();
            int y = p / n;
            int[] nb = {p - 1, p + 1, p - n, p + n};
            for (int k = 0; k < 4; k++) {
                int q = nb[k];
                if (q < 0 || q >= n * n || (k < 2 && q / n != y)) {
                    continue;
                }
                if (!lung[q] && !outside[q]) {
                    outside[q] = true;
                    queue.add(q);
                }
            }
        }
        for (int i = 0; i < n * n; i++) {
            lung[i] = !outside[i];
        }
    }
}
