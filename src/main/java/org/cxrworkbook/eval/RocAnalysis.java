package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.data.Finding;

/**
 * Per-finding ROC/AUC analysis of a {@link Predictions} file: AUC as scikit-learn computes it, bootstrap
 * intervals resampling patients, Youden operating points, calibration and Brier score. Immutable
 * configuration: {@code RocAnalysis.builder().bootstrap(1000).seed(42).build().analyse(predictions)}.
 */
public final class RocAnalysis {

    private final int bootstrap;
    private final long seed;
    private final double level;
    private final Resampling resampling;
    private final int calibrationBins;
    private final Map<Finding, Double> thresholds;

    private RocAnalysis(Builder b) {
        this.bootstrap = b.boot.replicates();
        this.seed = b.boot.seed();
        this.level = b.boot.level();
        this.resampling = b.resampling;
        this.calibrationBins = b.calibrationBins;
        this.thresholds = b.thresholds == null ? null : Map.copyOf(b.thresholds);
    }

    /** A builder with the defaults: 1000 replicates, seed 42, 95 %, patient resampling, 10 calibration bins. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default analysis. */
    public static RocAnalysis defaults() {
        return builder().build();
    }

    /** Analyses every finding of the predictions; an empty split is an {@link IllegalArgumentException}. */
    public RocReport analyse(Predictions predictions) {
        if (predictions.size() == 0) {
            throw new IllegalArgumentException("no predictions to analyse: the split is empty");
        }
        Bootstrap.Result boot = bootstrap > 0 ? new Bootstrap(predictions, resampling).run(bootstrap, seed, level) : null;
        List<FindingRoc> rows = new ArrayList<>();
        for (Finding f : Finding.all()) {
            int[] y = predictions.labels(f);
            double[] p = predictions.probabilities(f);
            int nPos = (int) java.util.Arrays.stream(y).sum();
            double auc = Auc.auc(y, p);
            boolean defined = !Double.isNaN(auc);
            rows.add(new FindingRoc(f, nPos, y.length - nPos, auc,
                    boot == null ? Interval.UNDEFINED : boot.perFinding().get(f),
                    defined ? Optional.of(RocCurve.of(y, p)) : Optional.empty(),
                    operatingPoint(f, y, p, defined),
                    Calibration.of(y, p, calibrationBins)));
        }
        return new RocReport(rows, boot == null ? Interval.UNDEFINED : boot.mean(), bootstrap, seed, level, resampling,
                predictions.size(), predictions.rowsByPatient().size(), pooledCalibration(predictions));
    }

    /** At the given threshold when thresholds were given (none for a finding without one), else Youden on this split. */
    private Optional<OperatingPoint> operatingPoint(Finding f, int[] y, double[] p, boolean defined) {
        if (thresholds != null) {
            Double t = thresholds.get(f);
            return t == null ? Optional.empty() : Optional.of(OperatingPoint.at(y, p, t));
        }
        return defined ? Optional.of(OperatingPoint.youden(y, p)) : Optional.empty();
    }

    private Calibration pooledCalibration(Predictions predictions) {
        int n = predictions.size() * Finding.COUNT;
        int[] y = new int[n];
        double[] p = new double[n];
        int k = 0;
        for (int i = 0; i < predictions.size(); i++) {
            for (Finding f : Finding.all()) {
                y[k] = predictions.label(i, f);
                p[k++] = predictions.probability(i, f);
            }
        }
        return Calibration.of(y, p, calibrationBins);
    }

    /** Options of {@link RocAnalysis}; setters are named after the option. */
    public static final class Builder {
        private BootstrapSettings boot = BootstrapSettings.DEFAULT;
        private Resampling resampling = Resampling.PATIENT;
        private int calibrationBins = 10;
        private Map<Finding, Double> thresholds;

        private Builder() {
        }

        /**
         * Operating points at these thresholds (e.g. {@link OperatingPointAnalysis#thresholds} of the validation
         * split) instead of Youden's J on the analysed split itself, which fits the threshold to the films it is
         * scored on; a finding without a threshold gets no operating point.
         */
        public Builder thresholds(Map<Finding, Double> thresholds) {
            this.thresholds = thresholds;
            return this;
        }

        /** Bootstrap replicates (0 = no intervals). */
        public Builder bootstrap(int replicates) {
            boot = boot.withReplicates(replicates);
            return this;
        }

        /** Seed of the bootstrap's random generator. */
        public Builder seed(long seed) {
            boot = boot.withSeed(seed);
            return this;
        }

        /** Confidence level, e.g. 0.95. */
        public Builder level(double level) {
            boot = boot.withLevel(level);
            return this;
        }

        /** What a replicate resamples (patients by default). */
        public Builder resampling(Resampling resampling) {
            this.resampling = resampling;
            return this;
        }

        /** Number of equal-width calibration bins. */
        public Builder calibrationBins(int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("calibration bins must be >= 1, was " + bins);
            }
            this.calibrationBins = bins;
            return this;
        }

        /** The configured analysis. */
        public RocAnalysis build() {
            return new RocAnalysis(this);
        }
    }
}
