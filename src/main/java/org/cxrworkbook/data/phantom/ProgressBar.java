package org.cxrworkbook.data.phantom;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line text progress bar (percentage, count, rate) redrawn in place with carriage returns. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private int shownPercent = -1;

    ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Records one finished item and redraws when the whole percentage changes. */
    void step() {
        int d = done.incrementAndGet();
        if (out == null) {
            return;
        }
        int pct = (int) (100L * d / total);
        synchronized (this) {
            if (pct != shownPercent) {
                shownPercent = pct;
                draw(d, pct);
            }
        }
    }

    /** Ends the line. */
    void finish() {
        if (out != null) {
            out.println();
            out.flush();
        }
    }

    private void draw(int d, int pct) {
        int filled = WIDTH * pct / 100;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %d/%d %.1f img/s", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), pct, d, total, seconds > 0 ? d / seconds : 0.0));
        out.flush();
    }
}
