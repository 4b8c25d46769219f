package org.cxrworkbook.image;

/**
 * Standardises an image in place with the exact float32 semantics of Keras' {@code ImageDataGenerator.standardize()}.
 *
 * <ul>
 *   <li>samplewise: {@code x -= mean(x); x /= (std(x) + 1e-6)}, mean and (population) std over every value
 *       of the one image, channels included;</li>
 *   <li>featurewise: {@code x -= mean[c]; x /= (std[c] + 1e-6)} with per-channel statistics fitted on
 *       training images ({@link FeaturewiseStats});</li>
 *   <li>none: identity.</li>
 * </ul>
 * A constant image (std 0) becomes all zeros (0 / 1e-6), never NaN. Non-finite input values are rejected
 * with an {@link IllegalArgumentException}.
 */
public interface Standardizer {

    /** Keras' epsilon added to the standard deviation. */
    float EPSILON = 1e-6f;

    /** Standardises {@code image} in place and returns it. */
    Pixels apply(Pixels image);

    /** A short description, e.g. "samplewise". */
    String describe();

    /** Keras {@code samplewise_center=True, samplewise_std_normalization=True}. */
    static Standardizer samplewise() {
        return new Standardizer() {
            @Override
            public Pixels apply(Pixels image) {
                float[] x = image.data();
                // Statistics accumulated in double then rounded to float32, as the values Keras subtracts are float32.
                float mean = (float) mean(x, 0, x.length);
                for (int i = 0; i < x.length; i++) {
                    x[i] -= mean;
                }
                float std = (float) Math.sqrt(meanSquare(x, 0, x.length));
                float denom = std + EPSILON;
                for (int i = 0; i < x.length; i++) {
                    x[i] /= denom;
                }
                return image;
            }

            @Override
            public String toString() {
                return describe();
            }

            @Override
            public String describe() {
                return "samplewise";
            }
        };
    }

    /** Keras {@code featurewise_center=True, featurewise_std_normalization=True} with fitted statistics. */
    static Standardizer featurewise(FeaturewiseStats stats) {
        return new Standardizer() {
            @Override
            public Pixels apply(Pixels image) {
                float[] x = image.data();
                int plane = image.plane();
                for (int c = 0; c < image.channels(); c++) {
                    float m = stats.mean(c);
                    float denom = stats.std(c) + EPSILON;
                    for (int i = c * plane, end = i + plane; i < end; i++) {
                        float v = x[i];
                        if (!Float.isFinite(v)) {
                            throw new IllegalArgumentException("image has a non-finite value " + v + " at index " + i);
                        }
                        x[i] = (v - m) / denom;
                    }
                }
                return image;
            }

            @Override
            public String toString() {
                return describe();
            }

            @Override
            public String describe() {
                return "featurewise " + stats;
            }
        };
    }

    /**
     * Any combination, applied in the order of Keras' {@code standardize()}: samplewise centre and scale first,
     * then featurewise (when {@code featurewise} is non-null).
     */
    static Standardizer keras(boolean samplewise, FeaturewiseStats featurewise) {
        Standardizer first = samplewise ? samplewise() : none();
        Standardizer second = featurewise != null ? featurewise(featurewise) : none();
        return new Standardizer() {
            @Override
            public Pixels apply(Pixels image) {
                return second.apply(first.apply(image));
            }

            @Override
            public String toString() {
                return describe();
            }

            @Override
            public String describe() {
                return first.describe() + " then " + second.describe();
            }
        };
    }

    /** No standardisation (values stay in [0, 255]). */
    static Standardizer none() {
        return new Standardizer() {
            @Override
            public Pixels apply(Pixels image) {
                return image;
            }

            @Override
            public String toString() {
                return describe();
            }

            @Override
            public String describe() {
                return "none";
            }
        };
    }

    /** Mean of x[from..to) in double; rejects non-finite values. */
    static double mean(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i];
        }
        if (!Double.isFinite(s)) {
            for (int i = from; i < to; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new IllegalArgumentException("image has a non-finite value " + x[i] + " at index " + i);
                }
            }
        }
        return s / (to - from);
    }

    /** Mean of squares of x[from..to) in double. */
    static double meanSquare(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s / (to - from);
    }
}
