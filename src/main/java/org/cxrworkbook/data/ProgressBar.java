package org.cxrworkbook.data;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The workbook's one progress bar: a single text line redrawn in place with a carriage return (at most 4 times a
 * second), e.g. {@code phantom [######......] 600/1200  35.10 img/s  ETA 0:17  0:17 elapsed}, ended by
 * {@link #finish(String)} with an optional summary on the same line. A notebook shows it as one updating line, and
 * the runner saves only its last state. Thread-safe; a null stream makes it silent.
 */
public class ProgressBar {

    private static final int WIDTH = 24;
    private static final long MIN_INTERVAL_NANOS = 250_000_000L;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastPrint;
    private int done;
    private long items;
    private String detail = "";

    /** A bar for {@code total} steps (0 = unknown) counting {@code unit} (e.g. "images", "batches"). */
    public ProgressBar(PrintStream out, String label, int total, String unit) {
        this.out = out;
        this.label = label;
        this.total = Math.max(0, total);
        this.unit = unit;
    }

    /** One more step, which is also one image; redraws when due. */
    public synchronized void step() {
        update(done + 1, items + 1, detail);
    }

    /** {@code done} steps and {@code images} images so far, with a short {@code detail} (e.g. the running loss). */
    public synchronized void update(int done, long images, String detail) {
        this.done = done;
        this.items = images;
        this.detail = detail;
        long now = System.nanoTime();
        if (out == null || (now - lastPrint < MIN_INTERVAL_NANOS && done != total)) {
            return;
        }
        lastPrint = now;
        out.print("\r" + line(done, images, detail, (now - start) / 1e9));
        out.flush();
    }

    /** Draws the final state and ends the line, followed by {@code suffix} (e.g. the epoch's validation result). */
    public synchronized void finish(String suffix) {
        if (out == null) {
            return;
        }
        out.print("\r" + line(done, items, detail, (System.nanoTime() - start) / 1e9));
        out.println(suffix.isEmpty() ? "" : "  " + suffix);
        out.flush();
    }

    /** The bar's text for the given counts and elapsed seconds. */
    public String line(int done, long images, String detail, double seconds) {
        double rate = seconds > 0 ? images / seconds : 0;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            int filled = (int) Math.round(WIDTH * Math.min(1.0, done / (double) total));
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(done).append('/').append(total);
        } else {
            sb.append(done).append(' ').append(unit);
        }
        if (!detail.isEmpty()) {
            sb.append(' ').append(detail);
        }
        sb.append(String.format(Locale.ROOT, "  %.2f img/s", rate));
        if (total > 0 && done > 0 && done < total) {
            sb.append("  ETA ").append(clock(seconds / done * (total - done)));
        }
        sb.append("  ").append(clock(seconds)).append(" elapsed");
        return sb.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
