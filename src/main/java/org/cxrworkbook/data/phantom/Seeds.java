package org.cxrworkbook.data.phantom;

import java.util.SplittableRandom;

/** Derives independent random streams from (seed, key...) so that results never depend on thread scheduling. */
final class Seeds {

    private Seeds() {
    }

    /** A 64-bit mix of the seed and keys (SplitMix64 finaliser applied after each key). */
    static long mix(long seed, long... keys) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (long k : keys) {
            h = finalise(h + 0x9E3779B97F4A7C15L * (k + 1));
        }
        return finalise(h);
    }

    /** A random stream for (seed, keys). */
    static SplittableRandom rng(long seed, long... keys) {
        return new SplittableRandom(mix(seed, keys));
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
