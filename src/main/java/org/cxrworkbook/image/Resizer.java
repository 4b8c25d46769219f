package org.cxrworkbook.image;

/**
 * Resizes a single-channel float image with a separable triangle (bilinear) filter whose support is
 * widened by the scale factor when shrinking, so a 1024→224 downscale averages every source pixel
 * (antialiased) and an upscale is plain bilinear interpolation — the same scheme as PIL's
 * {@code Image.resize(..., BILINEAR)}.
 *
 * <p>Hand-written because Java 2D's bilinear {@code drawImage} does not antialias when shrinking
 * (it samples 4 pixels per output, aliasing a 4.6× reduction), {@code AREA_AVERAGING} works on 8-bit
 * ints through the slow ImageProducer path, and ND4J has no antialiased resize.
 */
public final class Resizer {

    private Resizer() {
    }

    /** Resizes channel 0 of {@code src} to {@code height × width}. */
    public static Pixels resize(Pixels src, int height, int width) {
        if (src.channels() != 1) {
            throw new IllegalArgumentException("resize expects one channel, got " + src.channels());
        }
        if (src.height() == height && src.width() == width) {
            return src.copy();
        }
        Kernel kx = Kernel.of(src.width(), width);
        Kernel ky = Kernel.of(src.height(), height);
        float[] in = src.data();
        int sw = src.width();
        // Vertical pass first: each output row is a weighted sum of contiguous source rows (cache friendly).
        float[] tmp = new float[height * sw];
        for (int y = 0; y < height; y++) {
            int o = y * sw;
            int start = ky.start[y];
            for (int k = 0; k < ky.count[y]; k++) {
                float wgt = ky.weights[y * ky.taps + k];
                int s = (start + k) * sw;
                for (int x = 0; x < sw; x++) {
                    tmp[o + x] += wgt * in[s + x];
                }
            }
        }
        float[] out = new float[height * width];
        for (int y = 0; y < height; y++) {
            int row = y * sw;
            int o = y * width;
            for (int x = 0; x < width; x++) {
                int start = kx.start[x];
                int base = x * kx.taps;
                float acc = 0f;
                for (int k = 0; k < kx.count[x]; k++) {
                    acc += kx.weights[base + k] * tmp[row + start + k];
                }
                out[o + x] = acc;
            }
        }
        return Pixels.grey(height, width, out);
    }

    /** Precomputed filter taps for one axis (PIL's precompute_coeffs with a triangle filter). */
    static final class Kernel {
        final int[] start;
        final int[] count;
        final float[] weights;
        final int taps;

        private Kernel(int[] start, int[] count, float[] weights, int taps) {
            this.start = start;
            this.count = count;
            this.weights = weights;
            this.taps = taps;
        }

        static Kernel of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // triangle support is 1, widened when shrinking
            int taps = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[out];
            int[] count = new int[out];
            float[] weights = new float[out * taps];
            double[] w = new double[taps];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), in);
                int n = xmax - xmin;
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double t = Math.abs((j + xmin - center + 0.5) / filterScale);
                    w[j] = t < 1 ? 1 - t : 0;
                    sum += w[j];
                }
                for (int j = 0; j < n; j++) {
                    weights[i * taps + j] = (float) (sum == 0 ? 0 : w[j] / sum);
                }
                start[i] = xmin;
                count[i] = n;
            }
            return new Kernel(start, count, weights, taps);
        }
    }
}
