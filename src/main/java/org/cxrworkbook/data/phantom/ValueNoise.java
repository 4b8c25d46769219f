package org.cxrworkbook.data.phantom;

import java.util.SplittableRandom;

/**
 * Smooth 2-D value noise in [0, 1] on a wrapping lattice. Hand-written because no library on the
 * class path offers seeded, allocation-free noise that is fast enough per pixel.
 */
final class ValueNoise {

    private final float[] lattice;
    private final int mask;
    private final int n;

    ValueNoise(long seed, int sizePowerOfTwo) {
        if (Integer.bitCount(sizePowerOfTwo) != 1) {
            throw new IllegalArgumentException("lattice size must be a power of two: " + sizePowerOfTwo);
        }
        n = sizePowerOfTwo;
        mask = n - 1;
        lattice = new float[n * n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = (float) r.nextDouble();
        }
    }

    /** Noise at (x, y) in lattice units (one unit = one lattice cell). */
    double sample(double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int x0 = ((int) fx) & mask;
        int y0 = ((int) fy) & mask;
        int x1 = (x0 + 1) & mask;
        int y1 = (y0 + 1) & mask;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = lattice[y0 * n + x0];
        double b = lattice[y0 * n + x1];
        double c = lattice[y1 * n + x0];
        double d = lattice[y1 * n + x1];
        double top = a + (b - a) * tx;
        double bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }
}
