package org.cxrworkbook.plot;

import java.awt.BasicStroke;
import java.awt.Color;

/**
 * Fourteen series styles that stay apart, one per finding: seven well-separated hues (Okabe–Ito's colour-blind-safe
 * set, plus black) each drawn twice, first solid and then dashed, so no two findings share both colour and line.
 */
public final class Palette {

    private static final Color[] HUES = {
        new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115), new Color(213, 94, 0),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(0, 0, 0)};

    private static final float[] DASH = {7f, 4f};

    /** Number of distinct styles. */
    public static final int SIZE = 2 * HUES.length;

    private Palette() {
    }

    /** Colour of series i (cycles after {@link #SIZE}). */
    public static Color color(int i) {
        return HUES[Math.floorMod(i, SIZE) % HUES.length];
    }

    /** Line of series i: solid for the first seven, dashed for the next seven. */
    public static BasicStroke stroke(int i) {
        boolean dashed = Math.floorMod(i, SIZE) >= HUES.length;
        return dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f)
                : new BasicStroke(2f);
    }

    /** True when series i is drawn dashed. */
    public static boolean dashed(int i) {
        return Math.floorMod(i, SIZE) >= HUES.length;
    }
}
