package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.train.RankAuc;

/**
 * Percentile bootstrap confidence intervals for per-finding AUC and the mean AUC. A replicate draws as
 * many patients as the split has, with replacement, and takes all their images (or, with
 * {@link Resampling#IMAGE}, draws images). Seeded Commons Math {@link MersenneTwister}: the same seed
 * gives the same intervals. A replicate in which a finding's labels are all one value is skipped for
 * that finding; one in which any finding defined on the full split is undefined is skipped for the mean.
 */
public final class Bootstrap {

    private final Predictions predictions;
    private final Resampling resampling;
    private final List<int[]> groups;

    /** A bootstrap over the given predictions. */
    public Bootstrap(Predictions predictions, Resampling resampling) {
        this.predictions = predictions;
        this.resampling = resampling;
        if (resampling == Resampling.PATIENT) {
            this.groups = predictions.rowsByPatient();
        } else {
            List<int[]> single = new ArrayList<>();
            for (int i = 0; i < predictions.size(); i++) {
                single.add(new int[] {i});
            }
            this.groups = single;
        }
    }

    /** How often each row occurs in one replicate (rows of one patient always share a count under PATIENT). */
    public int[] sampleWeights(RandomGenerator rng) {
        int[] w = new int[predictions.size()];
        for (int k = 0; k < groups.size(); k++) {
            for (int row : groups.get(rng.nextInt(groups.size()))) {
                w[row]++;
            }
        }
        return w;
    }

    /** Percentile intervals at {@code level} (e.g. 0.95), per finding and for the mean AUC, from {@code replicates} seeded replicates. */
    public Result run(int replicates, long seed, double level) {
        if (replicates < 1 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("need replicates >= 1 and 0 < level < 1, got " + replicates + ", " + level);
        }
        RandomGenerator rng = new MersenneTwister(seed);
        Map<Finding, RankAuc.SortedScores> sorted = new EnumMap<>(Finding.class);
        List<Finding> definedOnSplit = new ArrayList<>();
        for (Finding f : Finding.all()) {
            int[] y = predictions.labels(f);
            sorted.put(f, RankAuc.SortedScores.of(y, predictions.probabilities(f)));
            if (!Double.isNaN(Auc.auc(y, predictions.probabilities(f)))) {
                definedOnSplit.add(f);
            }
        }
        Map<Finding, double[]> values = new EnumMap<>(Finding.class);
        Map<Finding, Integer> used = new EnumMap<>(Finding.class);
        Finding.all().forEach(f -> {
            values.put(f, new double[replicates]);
            used.put(f, 0);
        });
        double[] means = new double[replicates];
        int meansUsed = 0;
        for (int r = 0; r < replicates; r++) {
            int[] w = sampleWeights(rng);
            double sum = 0;
            boolean meanDefined = !definedOnSplit.isEmpty();
            for (Finding f : Finding.all()) {
                double a = RankAuc.weightedAuc(sorted.get(f), w);
                if (!Double.isNaN(a)) {
                    values.get(f)[used.get(f)] = a;
                    used.merge(f, 1, Integer::sum);
                }
                if (definedOnSplit.contains(f)) {
                    sum += a;
                    meanDefined &= !Double.isNaN(a);
                }
            }
            if (meanDefined) {
                means[meansUsed++] = sum / definedOnSplit.size();
            }
        }
        Map<Finding, Interval> perFinding = new EnumMap<>(Finding.class);
        for (Finding f : Finding.all()) {
            perFinding.put(f, definedOnSplit.contains(f) ? interval(values.get(f), used.get(f), level) : Interval.UNDEFINED);
        }
        return new Result(perFinding, interval(means, meansUsed, level), replicates);
    }

    /** Per-finding intervals, the mean-AUC interval and the number of replicates drawn. */
    public record Result(Map<Finding, Interval> perFinding, Interval mean, int replicates) {
    }

    static Interval interval(double[] values, int n, double level) {
        if (n == 0) {
            return Interval.UNDEFINED;
        }
        // R_7 is numpy's default ("linear") percentile definition, the one most bootstrap recipes use.
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        p.setData(values, 0, n);
        double tail = (1 - level) / 2 * 100;
        return new Interval(p.evaluate(tail), p.evaluate(100 - tail), n);
    }
}
