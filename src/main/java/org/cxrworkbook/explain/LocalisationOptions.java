package org.cxrworkbook.explain;

/**
 * Settings of the localisation score: heatmap threshold for IoU, width of the centre-prior baseline, number and
 * seed of random-map draws. Immutable; {@link #defaults()} or {@link #builder()}.
 */
public final class LocalisationOptions {

    private final double threshold;
    private final double centreSigma;
    private final int randomDraws;
    private final long seed;

    private LocalisationOptions(Builder b) {
        if (!(b.threshold > 0 && b.threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + b.threshold);
        }
        if (!(b.centreSigma > 0)) {
            throw new IllegalArgumentException("centre sigma must be > 0, got " + b.centreSigma);
        }
        if (b.randomDraws < 1) {
            throw new IllegalArgumentException("random draws must be ≥ 1, got " + b.randomDraws);
        }
        this.threshold = b.threshold;
        this.centreSigma = b.centreSigma;
        this.randomDraws = b.randomDraws;
        this.seed = b.seed;
    }

    /** Threshold 0.5 of the map's maximum, centre-prior σ = 0.25 of the image side, 20 random draws, seed 42. */
    public static LocalisationOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fraction of the map's maximum at or above which a pixel counts as "highlighted" for IoU. */
    public double threshold() {
        return threshold;
    }

    /** Standard deviation of the centre-prior Gaussian as a fraction of the shorter image side. */
    public double centreSigma() {
        return centreSigma;
    }

    /** Number of random maps averaged per image and finding. */
    public int randomDraws() {
        return randomDraws;
    }

    /** Seed of the random-map baseline. */
    public long seed() {
        return seed;
    }

    /** Builder of {@link LocalisationOptions}. */
    public static final class Builder {
        private double threshold = 0.5;
        private double centreSigma = 0.25;
        private int randomDraws = 20;
        private long seed = 42;

        private Builder() {
        }

        /** Heatmap threshold as a fraction of its maximum. */
        public Builder threshold(double v) {
            threshold = v;
            return this;
        }

        /** Centre-prior σ as a fraction of the shorter side. */
        public Builder centreSigma(double v) {
            centreSigma = v;
            return this;
        }

        /** Random maps per image and finding. */
        public Builder randomDraws(int v) {
            randomDraws = v;
            return this;
        }

        /** Seed of the random baseline. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** The options. */
        public LocalisationOptions build() {
            return new LocalisationOptions(this);
        }
    }

    @Override
    public String toString() {
        return "threshold=" + threshold + ", centreSigma=" + centreSigma + ", randomDraws=" + randomDraws
                + ", seed=" + seed;
    }
}
