package org.cxrworkbook.image;

import java.util.Random;

/**
 * Light random augmentation of a single-channel image in [0, 255]: small rotation, shift and zoom (one
 * affine map, bilinear sampling, edge pixels repeated as Keras' {@code fill_mode='nearest'}), a brightness
 * factor (values clipped to [0, 255]), and an optional horizontal flip (off by default: the heart's side matters).
 */
public final class Augmentation {

    private final double rotationDegrees;
    private final double shiftFraction;
    private final double zoomFraction;
    private final double brightnessDelta;
    private final boolean horizontalFlip;

    private Augmentation(Builder b) {
        this.rotationDegrees = b.rotationDegrees;
        this.shiftFraction = b.shiftFraction;
        this.zoomFraction = b.zoomFraction;
        this.brightnessDelta = b.brightnessDelta;
        this.horizontalFlip = b.horizontalFlip;
    }

    /** No augmentation. */
    public static Augmentation none() {
        return builder().build();
    }

    /** Rotation ±5°, shift ±5 %, zoom ±5 %, brightness ×[0.9, 1.1], no flip. */
    public static Augmentation light() {
        return builder().rotationDegrees(5).shiftFraction(0.05).zoomFraction(0.05).brightnessDelta(0.1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when this augmentation changes nothing. */
    public boolean isIdentity() {
        return rotationDegrees == 0 && shiftFraction == 0 && zoomFraction == 0 && brightnessDelta == 0 && !horizontalFlip;
    }

    /** A randomly transformed copy of {@code src} (one channel). */
    public Pixels apply(Pixels src, Random rnd) {
        if (isIdentity()) {
            return src;
        }
        int h = src.height();
        int w = src.width();
        double angle = Math.toRadians(uniform(rnd, rotationDegrees));
        double tx = uniform(rnd, shiftFraction) * w;
        double ty = uniform(rnd, shiftFraction) * h;
        double zoom = 1 + uniform(rnd, zoomFraction);
        double bright = 1 + uniform(rnd, brightnessDelta);
        boolean flip = horizontalFlip && rnd.nextBoolean();
        // Inverse map: output (x, y) -> source coordinates, about the image centre.
        double cos = Math.cos(angle) / zoom;
        double sin = Math.sin(angle) / zoom;
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] in = src.data();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double dy = y - cy - ty;
            for (int x = 0; x < w; x++) {
                double dx = (flip ? (w - 1 - x) : x) - cx - tx;
                double sx = cos * dx + sin * dy + cx;
                double sy = -sin * dx + cos * dy + cy;
                float v = (float) (bilinear(in, w, h, sx, sy) * bright);
                out[y * w + x] = Math.max(0f, Math.min(255f, v));
            }
        }
        return Pixels.grey(h, w, out);
    }

    private static double uniform(Random rnd, double range) {
        return range == 0 ? 0 : (rnd.nextDouble() * 2 - 1) * range;
    }

    private static double bilinear(float[] img, int w, int h, double x, double y) {
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = img[y0 * w + x0] * (1 - fx) + img[y0 * w + x1] * fx;
        double bottom = img[y1 * w + x0] * (1 - fx) + img[y1 * w + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    @Override
    public String toString() {
        return String.format("Augmentation[rotation=±%.1f°, shift=±%.2f, zoom=±%.2f, brightness=±%.2f, hflip=%s]",
                rotationDegrees, shiftFraction, zoomFraction, brightnessDelta, horizontalFlip);
    }

    /** Builder of {@link Augmentation}; every option defaults to off. */
    public static final class Builder {
        private double rotationDegrees;
        private double shiftFraction;
        private double zoomFraction;
        private double brightnessDelta;
        private boolean horizontalFlip;

        public Builder rotationDegrees(double v) {
            this.rotationDegrees = check(v, 45, "rotationDegrees");
            return this;
        }

        public Builder shiftFraction(double v) {
            this.shiftFraction = check(v, 0.5, "shiftFraction");
            return this;
        }

        public Builder zoomFraction(double v) {
            this.zoomFraction = check(v, 0.5, "zoomFraction");
            return this;
        }

        public Builder brightnessDelta(double v) {
            this.brightnessDelta = check(v, 0.9, "brightnessDelta");
            return this;
        }

        public Builder horizontalFlip(boolean v) {
            this.horizontalFlip = v;
            return this;
        }

        public Augmentation build() {
            return new Augmentation(this);
        }

        private static double check(double v, double max, String name) {
            if (!(v >= 0 && v <= max)) {
                throw new IllegalArgumentException(name + " must be in [0, " + max + "], got " + v);
            }
            return v;
        }
    }
}
