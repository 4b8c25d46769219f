package org.cxrworkbook.eval;

/**
 * The bootstrap options every analysis shares — replicates, seed and confidence level — checked in one place;
 * {@link RocAnalysis.Builder} and {@link OperatingPointAnalysis.Builder} hold one and set it through their own
 * fluent setters.
 */
public record BootstrapSettings(int replicates, long seed, double level) {

    /** 1,000 replicates, seed 42, 95 % intervals: the workbook's defaults. */
    public static final BootstrapSettings DEFAULT = new BootstrapSettings(1000, 42, 0.95);

    /** Checks the values: replicates at least 0 (0 = no intervals), level strictly between 0 and 1. */
    public BootstrapSettings {
        if (replicates < 0) {
            throw new IllegalArgumentException("bootstrap replicates must be >= 0, was " + replicates);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0,1), was " + level);
        }
    }

    /** These settings with another number of replicates. */
    public BootstrapSettings withReplicates(int v) {
        return new BootstrapSettings(v, seed, level);
    }

    /** These settings with another seed. */
    public BootstrapSettings withSeed(long v) {
        return new BootstrapSettings(replicates, v, level);
    }

    /** These settings with another confidence level. */
    public BootstrapSettings withLevel(double v) {
        return new BootstrapSettings(replicates, seed, v);
    }
}
