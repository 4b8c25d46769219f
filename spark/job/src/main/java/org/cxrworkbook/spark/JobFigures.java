package org.cxrworkbook.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures of one archive job: where it ran, films done and missing, wall seconds, and how the task threads' time split
 * between decoding (read + resize + standardise) and the forward pass, plus the driver's write time. Decode and
 * forward seconds are summed over task threads (they run in parallel), so they give shares, not wall time.
 */
public record JobFigures(String master, int partitions, int executors, int films, long forwarded, long missing,
                         double jobSeconds, double decodeSeconds, double forwardSeconds, double writeSeconds) {

    /** The same figures with the driver's write time. */
    public JobFigures withWrite(double seconds) {
        return new JobFigures(master, partitions, executors, films, forwarded, missing, jobSeconds, decodeSeconds,
                forwardSeconds, seconds);
    }

    /** Films forwarded per second of job wall time (decode + forward + collect). */
    public double imagesPerSecond() {
        return jobSeconds > 0 ? forwarded / jobSeconds : 0;
    }

    /** Fields for JSON output, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("master", master);
        m.put("partitions", partitions);
        m.put("executors", executors);
        m.put("films", films);
        m.put("forwarded", forwarded);
        m.put("missing", missing);
        m.put("job_seconds", round(jobSeconds));
        m.put("images_per_second", round(imagesPerSecond()));
        m.put("decode_thread_seconds", round(decodeSeconds));
        m.put("forward_thread_seconds", round(forwardSeconds));
        m.put("write_seconds", round(writeSeconds));
        return m;
    }

    /** One line for the console. */
    public String summary() {
        double threads = decodeSeconds + forwardSeconds;
        return String.format("%d films forwarded, %d missing, in %.1f s on %s (%d partitions): %.1f images/s; "
                        + "task time %.0f %% decode, %.0f %% forward; driver write %.1f s",
                forwarded, missing, jobSeconds, master, partitions, imagesPerSecond(),
                threads > 0 ? 100 * decodeSeconds / threads : 0, threads > 0 ? 100 * forwardSeconds / threads : 0,
                writeSeconds);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
