package org.cxrworkbook.eval;

/** A bootstrap percentile interval and how many replicates it rests on; bounds NaN when none could be used. */
public record Interval(double low, double high, int replicatesUsed) {

    /** An interval with no usable replicates. */
    public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN, 0);

    /** True when both bounds are numbers. */
    public boolean defined() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** Width high − low. */
    public double width() {
        return high - low;
    }
}
