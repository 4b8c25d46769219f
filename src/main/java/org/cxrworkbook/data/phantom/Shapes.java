package org.cxrworkbook.data.phantom;

/** Small numeric helpers for soft-edged shapes. */
final class Shapes {

    private Shapes() {
    }

    /** Hermite step from 0 at {@code e0} to 1 at {@code e1} (e0 may exceed e1 for a falling step). */
    static double smoothstep(double e0, double e1, double x) {
        double t = (x - e0) / (e1 - e0);
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return 1;
        }
        return t * t * (3 - 2 * t);
    }

    /** Clamps x to [lo, hi]. */
    static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : (x > hi ? hi : x);
    }

    /** atan2 approximation (max error about 0.0015 rad); Math.atan2 is several times slower per pixel. */
    static double atan2(double y, double x) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        double a = Math.min(ax, ay) / (Math.max(ax, ay) + 1e-12);
        double s = a * a;
        double r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a;
        if (ay > ax) {
            r = 1.57079637 - r;
        }
        if (x < 0) {
            r = 3.14159274 - r;
        }
        return y < 0 ? -r : r;
    }
}
