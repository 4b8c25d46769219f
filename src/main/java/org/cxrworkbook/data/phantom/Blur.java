package org.cxrworkbook.data.phantom;

/**
 * Blurs for the acquisition model: a small separable Gaussian (detector MTF) and a broad blur computed on a
 * coarse grid (scatter, image processing). Hand-written: per-film float buffers, no allocation-heavy library
 * call, and the broad blur at 1/8 resolution keeps generation fast.
 */
final class Blur {

    private Blur() {
    }

    /** In-place separable Gaussian of standard deviation {@code sigma} pixels (clamped borders). */
    static void gaussian(float[] img, int n, double sigma) {
        int r = (int) Math.ceil(2.5 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] row = new float[n];
        for (int y = 0; y < n; y++) {
            int o = y * n;
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int j = -r; j <= r; j++) {
                    int xx = x + j < 0 ? 0 : (x + j >= n ? n - 1 : x + j);
                    s += k[j + r] * img[o + xx];
                }
                row[x] = (float) s;
            }
            System.arraycopy(row, 0, img, o, n);
        }
        float[] col = new float[n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                double s = 0;
                for (int j = -r; j <= r; j++) {
                    int yy = y + j < 0 ? 0 : (y + j >= n ? n - 1 : y + j);
                    s += k[j + r] * img[yy * n + x];
                }
                col[y] = (float) s;
            }
            for (int y = 0; y < n; y++) {
                img[y * n + x] = col[y];
            }
        }
    }

    /**
     * A broad blur (about Gaussian, standard deviation {@code fraction} of the side): average 8×8 blocks onto a
     * coarse grid, Gaussian there, bilinear back to full size.
     */
    static float[] broad(float[] img, int n, double fraction) {
        int f = Math.max(1, n / 32);
        int m = (n + f - 1) / f;
        float[] coarse = new float[m * m];
        int[] count = new int[m * m];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int j = (y / f) * m + x / f;
                coarse[j] += img[y * n + x];
                count[j]++;
            }
        }
        for (int j = 0; j < coarse.length; j++) {
            coarse[j] /= count[j];
        }
        gaussian(coarse, m, fraction * m);
        float[] out = new float[n * n];
        for (int y = 0; y < n; y++) {
            double cy = (y + 0.5) / f - 0.5;
            int y0 = (int) Math.floor(cy);
            double ty = cy - y0;
            int ya = Math.max(0, Math.min(m - 1, y0));
            int yb = Math.max(0, Math.min(m - 1, y0 + 1));
            for (int x = 0; x < n; x++) {
                double cx = (x + 0.5) / f - 0.5;
                int x0 = (int) Math.floor(cx);
                double tx = cx - x0;
                int xa = Math.max(0, Math.min(m - 1, x0));
                int xb = Math.max(0, Math.min(m - 1, x0 + 1));
                double top = coarse[ya * m + xa] * (1 - tx) + coarse[ya * m + xb] * tx;
                double bottom = coarse[yb * m + xa] * (1 - tx) + coarse[yb * m + xb] * tx;
                out[y * n + x] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
        return out;
    }
}
