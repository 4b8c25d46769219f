package org.cxrworkbook.data.phantom;

/**
 * Float buffers of one film being drawn (tissue density, aerated-lung fraction, lung markings) plus the
 * mapping between anatomical coordinates and image pixels (patient rotation, shift and zoom).
 */
final class Canvas {

    /** Per-pixel work a lesion does; returns how strongly it changed the pixel (for its bounding box). */
    interface PixelOp {
        double apply(int index, double u, double v);
    }

    final int size;
    final float[] u;
    final float[] v;
    final float[] dens;
    final float[] air;
    final float[] marks;
    /**
     * When set (attenuation renderer), {@link #paint} boxes the pixels whose attenuation line integral the
     * operation changed by at least {@link #CHANGE_SHARE} of its largest change, grown by one pixel for the
     * detector blur, instead of trusting the operation's own effect value: the box is where the film changed.
     */
    boolean boxFromChange;
    /** Share of a lesion's largest attenuation change that puts a pixel in its box. */
    static final double CHANGE_SHARE = 0.1;
    private final double cos;
    private final double sin;
    private final double zoom;
    private final double shiftX;
    private final double shiftY;

    Canvas(int size, double rotationDeg, double zoom, double shiftX, double shiftY) {
        this.size = size;
        int n = size * size;
        u = new float[n];
        v = new float[n];
        dens = new float[n];
        air = new float[n];
        marks = new float[n];
        double t = Math.toRadians(rotationDeg);
        cos = Math.cos(t);
        sin = Math.sin(t);
        this.zoom = zoom;
        this.shiftX = shiftX;
        this.shiftY = shiftY;
        for (int y = 0; y < size; y++) {
            double iy = (y + 0.5) / size - 0.5 - shiftY;
            for (int x = 0; x < size; x++) {
                double ix = (x + 0.5) / size - 0.5 - shiftX;
                int i = y * size + x;
                u[i] = (float) (0.5 + (cos * ix + sin * iy) / zoom);
                v[i] = (float) (0.5 + (-sin * ix + cos * iy) / zoom);
            }
        }
    }

    /** Attenuation line integral of a pixel as drawn so far: tissue density minus aerated lung plus markings. */
    double lineIntegral(int i) {
        double a = air[i];
        return dens[i] - ClassicRenderer.AIR_DEPTH * a + marks[i] * Math.min(a, 1);
    }

    /** Patient zoom (magnification of the anatomy on the image). */
    double zoom() {
        return zoom;
    }

    /** Image x (0..1) of an anatomical point. */
    double imageX(double au, double av) {
        double x = (au - 0.5) * zoom;
        double y = (av - 0.5) * zoom;
        return 0.5 + shiftX + cos * x - sin * y;
    }

    /** Image y (0..1) of an anatomical point. */
    double imageY(double au, double av) {
        double x = (au - 0.5) * zoom;
        double y = (av - 0.5) * zoom;
        return 0.5 + shiftY + sin * x + cos * y;
    }

    /** Width of one pixel in anatomical units. */
    double pixel() {
        return 1.0 / (size * zoom);
    }

    /**
     * Runs {@code op} on every pixel whose anatomical point may lie in [u0,u1]x[v0,v1] and returns the
     * pixel box {x, y, w, h} of the pixels it changed by at least {@code threshold}, or null if none.
     */
    double[] paint(double u0, double v0, double u1, double v1, double threshold, PixelOp op) {
        double[] b = imageBounds(u0, v0, u1, v1);
        double minX = b[0];
        double minY = b[1];
        double maxX = b[2];
        double maxY = b[3];
        int x0 = Math.max(0, (int) Math.floor(minX * size) - 1);
        int x1 = Math.min(size - 1, (int) Math.ceil(maxX * size) + 1);
        int y0 = Math.max(0, (int) Math.floor(minY * size) - 1);
        int y1 = Math.min(size - 1, (int) Math.ceil(maxY * size) + 1);
        if (boxFromChange) {
            return paintAndBoxChange(x0, y0, x1, y1, op);
        }
        int bx0 = Integer.MAX_VALUE;
        int by0 = Integer.MAX_VALUE;
        int bx1 = -1;
        int by1 = -1;
        for (int y = y0; y <= y1; y++) {
            int row = y * size;
            for (int x = x0; x <= x1; x++) {
                int i = row + x;
                double effect = op.apply(i, u[i], v[i]);
                if (effect >= threshold) {
                    bx0 = Math.min(bx0, x);
                    bx1 = Math.max(bx1, x);
                    by0 = Math.min(by0, y);
                    by1 = Math.max(by1, y);
                }
            }
        }
        if (bx1 < 0) {
            return null;
        }
        return new double[] {bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1};
    }

    /** {@link #paint} for {@link #boxFromChange}: applies op on the window, then boxes where the line integral moved. */
    private double[] paintAndBoxChange(int x0, int y0, int x1, int y1, PixelOp op) {
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        if (w <= 0 || h <= 0) {
            return null;
        }
        float[] change = new float[w * h];
        double max = 0;
        for (int y = y0; y <= y1; y++) {
            int row = y * size;
            for (int x = x0; x <= x1; x++) {
                int i = row + x;
                double before = lineIntegral(i);
                op.apply(i, u[i], v[i]);
                double d = Math.abs(lineIntegral(i) - before);
                change[(y - y0) * w + (x - x0)] = (float) d;
                max = Math.max(max, d);
            }
        }
        if (max < 1e-4) {
            return null;
        }
        double threshold = CHANGE_SHARE * max;
        int bx0 = Integer.MAX_VALUE;
        int by0 = Integer.MAX_VALUE;
        int bx1 = -1;
        int by1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (change[y * w + x] >= threshold) {
                    bx0 = Math.min(bx0, x);
                    bx1 = Math.max(bx1, x);
                    by0 = Math.min(by0, y);
                    by1 = Math.max(by1, y);
                }
            }
        }
        int ax0 = Math.max(0, x0 + bx0 - 1);
        int ay0 = Math.max(0, y0 + by0 - 1);
        int ax1 = Math.min(size - 1, x0 + bx1 + 1);
        int ay1 = Math.min(size - 1, y0 + by1 + 1);
        return new double[] {ax0, ay0, ax1 - ax0 + 1, ay1 - ay0 + 1};
    }

    /** Pixel box {x, y, w, h} of an anatomical rectangle, clipped to the image; null if it falls outside. */
    double[] box(double u0, double v0, double u1, double v1) {
        double[] b = imageBounds(u0, v0, u1, v1);
        double minX = b[0];
        double minY = b[1];
        double maxX = b[2];
        double maxY = b[3];
        double x0 = Shapes.clamp(minX * size, 0, size);
        double x1 = Shapes.clamp(maxX * size, 0, size);
        double y0 = Shapes.clamp(minY * size, 0, size);
        double y1 = Shapes.clamp(maxY * size, 0, size);
        if (x1 - x0 < 1 || y1 - y0 < 1) {
            return null;
        }
        return new double[] {x0, y0, x1 - x0, y1 - y0};
    }

    /** Bounds {minX, minY, maxX, maxY} (fractions of the image side) of an anatomical rectangle's four corners. */
    private double[] imageBounds(double u0, double v0, double u1, double v1) {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] cu = {u0, u1, u0, u1};
        double[] cv = {v0, v0, v1, v1};
        for (int k = 0; k < 4; k++) {
            double x = imageX(cu[k], cv[k]);
            double y = imageY(cu[k], cv[k]);
            b[0] = Math.min(b[0], x);
            b[1] = Math.min(b[1], y);
            b[2] = Math.max(b[2], x);
            b[3] = Math.max(b[3], y);
        }
        return b;
    }
}
