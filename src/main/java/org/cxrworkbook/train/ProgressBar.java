package org.cxrworkbook.train;

import java.io.PrintStream;

/** One-line text progress bar for an epoch: batches done, running loss, images/s and time left. */
public final class ProgressBar {

    private static final int WIDTH = 24;
    private static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final PrintStream out;
    private final String label;
    private final int totalBatches;
    private final long start = System.nanoTime();
    private long lastPrint;

    /** A bar for {@code totalBatches} batches (unknown: 0) printing to {@code out}. */
    public ProgressBar(PrintStream out, String label, int totalBatches) {
        this.out = out;
        this.label = label;
        this.totalBatches = totalBatches;
    }

    /** Redraws the bar after {@code batches} batches and {@code images} images; throttled to 4 lines/s. */
    public void update(int batches, long images, double meanLoss) {
        long now = System.nanoTime();
        if (now - lastPrint < MIN_INTERVAL_NANOS && batches != totalBatches) {
            return;
        }
        lastPrint = now;
        out.print("\r" + line(batches, images, meanLoss, (now - start) / 1e9));
        out.flush();
    }

    /** Ends the bar's line. */
    public void finish(String suffix) {
        out.println(suffix.isEmpty() ? "" : "  " + suffix);
        out.flush();
    }

    /** The bar's text for the given counts and elapsed seconds (visible for tests). */
    String line(int batches, long images, double meanLoss, double seconds) {
        double rate = seconds > 0 ? images / seconds : 0;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (totalBatches > 0) {
            int filled = (int) Math.round(WIDTH * Math.min(1.0, batches / (double) totalBatches));
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(batches).append('/').append(totalBatches);
        } else {
            sb.append(batches).append(" batches");
        }
        sb.append(String.format(" loss %.4f  %.2f img/s", meanLoss, rate));
        if (totalBatches > 0 && batches > 0) {
            double eta = seconds / batches * (totalBatches - batches);
            sb.append("  ETA ").append(clock(eta));
        }
        sb.append("  ").append(clock(seconds)).append(" elapsed");
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
