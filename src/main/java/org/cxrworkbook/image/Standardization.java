package org.cxrworkbook.image;

import java.util.Map;

/**
 * Which standardisation each split uses. Default is the course's convention: train samplewise,
 * validation and test featurewise with statistics fitted on training images.
 */
public final class Standardization {

    /** A standardisation mode. */
    public enum Mode { NONE, SAMPLEWISE, FEATUREWISE }

    private final Mode train;
    private final Mode val;
    private final Mode test;
    private final int fitSample;

    private Standardization(Builder b) {
        this.train = b.train;
        this.val = b.val;
        this.test = b.test;
        this.fitSample = b.fitSample;
    }

    /** Train samplewise, val/test featurewise fitted on 100 distinct training images. */
    public static Standardization courseDefault() {
        return builder().build();
    }

    /** A builder starting from the course default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Mode of a split ("train", "val" or "test"). */
    public Mode mode(String split) {
        return switch (split) {
            case "train" -> train;
            case "val" -> val;
            case "test" -> test;
            default -> throw new IllegalArgumentException("unknown split '" + split + "' (expected train, val, test)");
        };
    }

    /** Number of distinct training images to fit featurewise statistics on. */
    public int fitSample() {
        return fitSample;
    }

    /** True when some split needs featurewise statistics. */
    public boolean needsFit() {
        return train == Mode.FEATUREWISE || val == Mode.FEATUREWISE || test == Mode.FEATUREWISE;
    }

    /** The standardiser for a split; {@code stats} may be null when no split is featurewise. */
    public Standardizer standardizer(String split, FeaturewiseStats stats) {
        return switch (mode(split)) {
            case NONE -> Standardizer.none();
            case SAMPLEWISE -> Standardizer.samplewise();
            case FEATUREWISE -> {
                if (stats == null) {
                    throw new IllegalArgumentException("split '" + split + "' is featurewise but no fitted statistics were given");
                }
                yield Standardizer.featurewise(stats);
            }
        };
    }

    /** Modes by split, for display. */
    public Map<String, Mode> modes() {
        return Map.of("train", train, "val", val, "test", test);
    }

    @Override
    public String toString() {
        return "Standardization[train=" + train + ", val=" + val + ", test=" + test + ", fitSample=" + fitSample + "]";
    }

    /** Builder of {@link Standardization}. */
    public static final class Builder {
        private Mode train = Mode.SAMPLEWISE;
        private Mode val = Mode.FEATUREWISE;
        private Mode test = Mode.FEATUREWISE;
        private int fitSample = FeaturewiseStats.DEFAULT_SAMPLE;

        public Builder train(Mode m) {
            this.train = m;
            return this;
        }

        public Builder val(Mode m) {
            this.val = m;
            return this;
        }

        public Builder test(Mode m) {
            this.test = m;
            return this;
        }

        /** Distinct training images for the featurewise fit (course: 100). */
        public Builder fitSample(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("fitSample must be at least 1, got " + n);
            }
            this.fitSample = n;
            return this;
        }

        public Standardization build() {
            return new Standardization(this);
        }
    }
}
