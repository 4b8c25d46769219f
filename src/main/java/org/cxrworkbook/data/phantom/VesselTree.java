package org.cxrworkbook.data.phantom;

import java.util.SplittableRandom;

/**
 * Pulmonary vessels: a branching tree per lung grown from the hilum (seeded per patient, so a patient's
 * follow-ups share it), each branch thinner and shorter than its parent, drawn as cylinders (density
 * proportional to the chord through the vessel) into the canvas's markings, which count only where there
 * is aerated lung.
 */
final class VesselTree {

    private VesselTree() {
    }

    /** Draws both lungs' trees. */
    static void draw(Anatomy a, Canvas c, long seed) {
        for (int side = 0; side < 2; side++) {
            SplittableRandom g = Seeds.rng(seed, 11, side);
            double hd = 0.085;
            double hv = a.hilumV;
            int trunks = 8;
            for (int t = 0; t < trunks; t++) {
                // fan from up-lateral to down-lateral and down-medial (image angle, 0 = lateral)
                double ang = -1.25 + 2.6 * (t + 0.5) / trunks + 0.15 * (g.nextDouble() - 0.5);
                double len = 0.07 + 0.03 * g.nextDouble();
                branch(a, c, g, side, hd, hv + 0.02 * (g.nextDouble() - 0.5), ang, len, 0.0065, 0);
            }
        }
    }

    private static void branch(Anatomy a, Canvas c, SplittableRandom g, int side, double d, double v, double ang,
                               double len, double radius, int depth) {
        double d1 = d + len * Math.cos(ang);
        double v1 = v + len * Math.sin(ang);
        // a gentle bend half way, so branches curve instead of running as straight spokes
        double bend = 0.18 * len * (g.nextDouble() - 0.5);
        double dm = (d + d1) / 2 - bend * Math.sin(ang);
        double vm = (v + v1) / 2 + bend * Math.cos(ang);
        double rm = radius * 0.925;
        segment(a, c, side, d, v, dm, vm, radius, rm);
        segment(a, c, side, dm, vm, d1, v1, rm, radius * 0.85);
        if (depth >= 4 || radius < 0.0012) {
            return;
        }
        int kids = 2 + (g.nextDouble() < 0.3 ? 1 : 0);
        for (int k = 0; k < kids; k++) {
            double turn = (k - (kids - 1) / 2.0) * (0.4 + 0.35 * g.nextDouble()) + 0.3 * (g.nextDouble() - 0.5);
            double na = ang + turn;
            // keep growing outwards, towards the periphery
            na = Math.max(-1.5, Math.min(1.6, na));
            branch(a, c, g, side, d1, v1, na, len * (0.68 + 0.12 * g.nextDouble()), radius * (0.7 + 0.06 * g.nextDouble()),
                    depth + 1);
        }
    }

    /** Splats a tapered cylinder from (d0, v0) to (d1, v1) in image pixels; stops at the lung border. */
    private static void segment(Anatomy a, Canvas c, int side, double d0, double v0, double d1, double v1,
                                double r0, double r1) {
        int n = c.size;
        double u0 = Anatomy.u(side, d0);
        double u1 = Anatomy.u(side, d1);
        double x0 = c.imageX(u0, v0) * n;
        double y0 = c.imageY(u0, v0) * n;
        double x1 = c.imageX(u1, v1) * n;
        double y1 = c.imageY(u1, v1) * n;
        double pxPerUnit = 1 / c.pixel();
        double len = Math.hypot(x1 - x0, y1 - y0);
        int steps = Math.max(1, (int) Math.ceil(len / 0.7));
        for (int s = 0; s <= steps; s++) {
            double t = s / (double) steps;
            double du = d0 + (d1 - d0) * t;
            double dv = v0 + (v1 - v0) * t;
            if (a.lungInside(side, du, dv) < 0.004) {
                return;
            }
            double cx = x0 + (x1 - x0) * t;
            double cy = y0 + (y1 - y0) * t;
            double rp = Math.max(0.6, (r0 + (r1 - r0) * t) * pxPerUnit);
            int xa = Math.max(0, (int) Math.floor(cx - rp - 1));
            int xb = Math.min(n - 1, (int) Math.ceil(cx + rp + 1));
            int ya = Math.max(0, (int) Math.floor(cy - rp - 1));
            int yb = Math.min(n - 1, (int) Math.ceil(cy + rp + 1));
            double rr = rp * rp;
            for (int y = ya; y <= yb; y++) {
                for (int x = xa; x <= xb; x++) {
                    double ex = x + 0.5 - cx;
                    double ey = y + 0.5 - cy;
                    double q = 1 - (ex * ex + ey * ey) / rr;
                    if (q > 0) {
                        int i = y * n + x;
                        // chord through a cylinder ~ sqrt(q); the max keeps overlapping steps from stacking
                        float val = (float) (a.markScale * 14 * (r0 + (r1 - r0) * t) * Math.sqrt(q));
                        if (val > c.marks[i]) {
                            c.marks[i] = val;
                        }
                    }
                }
            }
        }
    }
}
