package org.cxrworkbook.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The workbook's progress bar ({@link org.cxrworkbook.data.ProgressBar}) as an epoch bar: batches done out of the
 * total, the running loss, images/s and time left. Only names the training package's use of the one bar.
 */
public final class ProgressBar extends org.cxrworkbook.data.ProgressBar {

    /** A bar for {@code totalBatches} batches (unknown: 0) printing to {@code out}. */
    public ProgressBar(PrintStream out, String label, int totalBatches) {
        super(out, label, totalBatches, "batches");
    }

    /** Redraws the bar after {@code batches} batches and {@code images} images; throttled to 4 lines/s. */
    public void update(int batches, long images, double meanLoss) {
        update(batches, images, lossText(meanLoss));
    }

    /** The bar's text for the given counts, mean loss and elapsed seconds. */
    String line(int batches, long images, double meanLoss, double seconds) {
        return line(batches, images, lossText(meanLoss), seconds);
    }

    private static String lossText(double meanLoss) {
        return String.format(Locale.ROOT, "loss %.4f", meanLoss);
    }
}
