package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.cxrworkbook.data.Finding;

/**
 * Operating points chosen where they may be chosen: each finding's threshold maximises Youden's J on the
 * <em>validation</em> split; sensitivity and specificity at that fixed threshold are then measured on the
 * <em>test</em> split, with percentile intervals from a bootstrap over test patients. Choosing the threshold on
 * the test split itself, as a plain Youden table does, fits it to the very films it is scored on and flatters
 * both numbers. Each row also carries the calibration on test (mean predicted probability against the observed
 * rate) and both splits' prevalence, with a flag when they differ markedly.
 * {@code OperatingPointAnalysis.builder().bootstrap(1000).seed(42).build().analyse(validation, test)}.
 */
public final class OperatingPointAnalysis {

    private final int bootstrap;
    private final long seed;
    private final double level;
    private final double shiftRatio;
    private final double shiftPoints;

    private OperatingPointAnalysis(Builder b) {
        this.bootstrap = b.boot.replicates();
        this.seed = b.boot.seed();
        this.level = b.boot.level();
        this.shiftRatio = b.shiftRatio;
        this.shiftPoints = b.shiftPoints;
    }

    /** Defaults: 1000 replicates, seed 42, 95 %, prevalence shift at a factor of 2 and at least 2 percentage points. */
    public static Builder builder() {
        return new Builder();
    }

    /** Thresholds from {@code validation}, measured on {@code test}; both must hold predictions for at least one film. */
    public OperatingPointReport analyse(Predictions validation, Predictions test) {
        if (validation.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("need validation and test predictions, got " + validation.size()
                    + " validation and " + test.size() + " test rows");
        }
        Map<Finding, Double> thresholds = thresholds(validation);
        Map<Finding, double[][]> replicates = bootstrap(test, thresholds);
        List<OperatingPointReport.Row> rows = new ArrayList<>();
        for (Finding f : Finding.all()) {
            int[] yv = validation.labels(f);
            int[] yt = test.labels(f);
            double[] pt = test.probabilities(f);
            double prevVal = mean(yv);
            double prevTest = mean(yt);
            Double t = thresholds.get(f);
            Optional<OperatingPoint> onVal = t == null ? Optional.empty()
                    : Optional.of(OperatingPoint.at(yv, validation.probabilities(f), t));
            Optional<OperatingPoint> onTest = t == null ? Optional.empty() : Optional.of(OperatingPoint.at(yt, pt, t));
            double[][] rep = replicates.get(f);
            Interval sensCi = rep == null ? Interval.UNDEFINED : Bootstrap.interval(rep[0], count(rep[0]), level);
            Interval specCi = rep == null ? Interval.UNDEFINED : Bootstrap.interval(rep[1], count(rep[1]), level);
            rows.add(new OperatingPointReport.Row(f, onVal, onTest, sensCi, specCi, prevVal, prevTest,
                    Arrays.stream(pt).average().orElse(Double.NaN), shifted(prevVal, prevTest)));
        }
        return new OperatingPointReport(rows, validation.size(), test.size(), test.rowsByPatient().size(), bootstrap,
                seed, level, shiftRatio, shiftPoints);
    }

    /** Youden thresholds of the findings whose validation labels hold both values; others have none. */
    public static Map<Finding, Double> thresholds(Predictions validation) {
        Map<Finding, Double> m = new EnumMap<>(Finding.class);
        for (Finding f : Finding.all()) {
            int[] y = validation.labels(f);
            int pos = Arrays.stream(y).sum();
            if (pos > 0 && pos < y.length) {
                m.put(f, OperatingPoint.youden(y, validation.probabilities(f)).threshold());
            }
        }
        return m;
    }

    /** True when the prevalences differ by the factor and by the points configured (a finding absent from one split counts). */
    boolean shifted(double a, double b) {
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        return hi - lo >= shiftPoints / 100 && (lo == 0 || hi / lo >= shiftRatio);
    }

    /**
     * Per finding with a threshold: replicate sensitivities (row 0) and specificities (row 1), NaN-padded after
     * the replicates in which the metric was defined (a replicate without positives has no sensitivity).
     */
    private Map<Finding, double[][]> bootstrap(Predictions test, Map<Finding, Double> thresholds) {
        Map<Finding, double[][]> out = new EnumMap<>(Finding.class);
        if (bootstrap == 0) {
            return out;
        }
        Bootstrap boot = new Bootstrap(test, Resampling.PATIENT);
        RandomGenerator rng = new MersenneTwister(seed);
        Map<Finding, int[]> used = new EnumMap<>(Finding.class);
        thresholds.keySet().forEach(f -> {
            out.put(f, new double[][] {filled(bootstrap), filled(bootstrap)});
            used.put(f, new int[2]);
        });
        for (int r = 0; r < bootstrap; r++) {
            int[] w = boot.sampleWeights(rng);
            for (Map.Entry<Finding, Double> e : thresholds.entrySet()) {
                int[] y = test.labels(e.getKey());
                double[] p = test.probabilities(e.getKey());
                double tp = 0, fn = 0, tn = 0, fp = 0;
                for (int i = 0; i < y.length; i++) {
                    boolean predicted = p[i] >= e.getValue();
                    if (y[i] == 1) {
                        if (predicted) {
                            tp += w[i];
                        } else {
                            fn += w[i];
                        }
                    } else if (predicted) {
                        fp += w[i];
                    } else {
                        tn += w[i];
                    }
                }
                int[] u = used.get(e.getKey());
                double[][] v = out.get(e.getKey());
                if (tp + fn > 0) {
                    v[0][u[0]++] = tp / (tp + fn);
                }
                if (tn + fp > 0) {
                    v[1][u[1]++] = tn / (tn + fp);
                }
            }
        }
        return out;
    }

    private static double[] filled(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    private static int count(double[] v) {
        int n = 0;
        while (n < v.length && !Double.isNaN(v[n])) {
            n++;
        }
        return n;
    }

    private static double mean(int[] y) {
        return y.length == 0 ? Double.NaN : (double) Arrays.stream(y).sum() / y.length;
    }

    /** Options of {@link OperatingPointAnalysis}; setters are named after the option. */
    public static final class Builder {
        private BootstrapSettings boot = BootstrapSettings.DEFAULT;
        private double shiftRatio = 2;
        private double shiftPoints = 2;

        private Builder() {
        }

        /** Bootstrap replicates over test patients (0 = no intervals). */
        public Builder bootstrap(int replicates) {
            boot = boot.withReplicates(replicates);
            return this;
        }

        /** Seed of the bootstrap. */
        public Builder seed(long seed) {
            boot = boot.withSeed(seed);
            return this;
        }

        /** Confidence level, e.g. 0.95. */
        public Builder level(double level) {
            boot = boot.withLevel(level);
            return this;
        }

        /**
         * When a prevalence shift is flagged: the larger prevalence is at least {@code ratio} times the smaller
         * and at least {@code points} percentage points above it.
         */
        public Builder prevalenceShift(double ratio, double points) {
            if (!(ratio >= 1) || !(points >= 0)) {
                throw new IllegalArgumentException("prevalence shift needs ratio >= 1 and points >= 0, got " + ratio + ", " + points);
            }
            this.shiftRatio = ratio;
            this.shiftPoints = points;
            return this;
        }

        /** The configured analysis. */
        public OperatingPointAnalysis build() {
            return new OperatingPointAnalysis(this);
        }
    }
}
