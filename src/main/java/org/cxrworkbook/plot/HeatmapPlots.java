package org.cxrworkbook.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.explain.CaseSelector;
import org.cxrworkbook.explain.CourseExamples;
import org.cxrworkbook.explain.ExplainSample;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GalleryCase;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heatmap overlays as the course draws them: the X-ray in grey, the heatmap in matplotlib's {@code jet} colour
 * map on top with alpha = min(0.5, p); rows of top-k findings and galleries of correct and wrong cases, each panel
 * with the film's true labels, its lesion boxes, whether the film has the finding shown, and a colour bar.
 * Drawn with Java2D (XChart has no image layers).
 */
public final class HeatmapPlots {

    /** Side of each displayed panel in pixels (maps are resized with bilinear interpolation for display). */
    public static final int PANEL = 256;

    /** Lines of title text above each panel. */
    static final int TITLE_LINES = 3;
    private static final int TITLE = TITLE_LINES * 16 + 4;

    // matplotlib's jet: (x, value) breakpoints per channel, linear in between (_jet_data in matplotlib/_cm.py).
    private static final double[][] JET_R = {{0, 0}, {0.35, 0}, {0.66, 1}, {0.89, 1}, {1, 0.5}};
    private static final double[][] JET_G = {{0, 0}, {0.125, 0}, {0.375, 1}, {0.64, 1}, {0.91, 0}, {1, 0}};
    private static final double[][] JET_B = {{0, 0.5}, {0.11, 1}, {0.34, 1}, {0.65, 0}, {1, 0}};

    private HeatmapPlots() {
    }

    /** The jet colour of v ∈ [0, 1] (clamped) as packed RGB. */
    public static int jet(double v) {
        double x = Math.max(0, Math.min(1, v));
        int r = (int) Math.round(255 * piecewise(JET_R, x));
        int g = (int) Math.round(255 * piecewise(JET_G, x));
        int b = (int) Math.round(255 * piecewise(JET_B, x));
        return (r << 16) | (g << 8) | b;
    }

    private static double piecewise(double[][] points, double x) {
        for (int i = 1; i < points.length; i++) {
            if (x <= points[i][0]) {
                double t = (x - points[i - 1][0]) / (points[i][0] - points[i - 1][0]);
                return points[i - 1][1] + t * (points[i][1] - points[i - 1][1]);
            }
        }
        return points[points.length - 1][1];
    }

    /** Channel 0 of a model input [1, c, h, w] min–max scaled to [0, 1] for display (standardised images). */
    public static float[][] grey(INDArray input) {
        double[][] a = input.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).toDoubleMatrix();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : a) {
            for (double v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double range = max > min ? max - min : 1;
        float[][] out = new float[a.length][a[0].length];
        for (int y = 0; y < a.length; y++) {
            for (int x = 0; x < a[0].length; x++) {
                out[y][x] = (float) ((a[y][x] - min) / range);
            }
        }
        return out;
    }

    /** The grey image alone, as an RGB image. */
    public static BufferedImage greyImage(float[][] grey) {
        return overlay(grey, null, 0);
    }

    /**
     * Grey image with the heatmap blended on top: pixel = (1 − α)·grey + α·jet(heatmap), α fixed for the image
     * (the course passes alpha = min(0.5, p) to matplotlib). Both arrays must have the same size.
     */
    public static BufferedImage overlay(float[][] grey, float[][] heatmap, double alpha) {
        int h = grey.length;
        int w = grey[0].length;
        if (heatmap != null && (heatmap.length != h || heatmap[0].length != w)) {
            throw new IllegalArgumentException("heatmap " + heatmap.length + "×" + heatmap[0].length
                    + " does not match image " + h + "×" + w);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double g = 255 * Math.max(0, Math.min(1, grey[y][x]));
                double r = g;
                double gg = g;
                double b = g;
                if (heatmap != null && alpha > 0) {
                    int c = jet(heatmap[y][x]);
                    r = (1 - alpha) * g + alpha * ((c >> 16) & 255);
                    gg = (1 - alpha) * g + alpha * ((c >> 8) & 255);
                    b = (1 - alpha) * g + alpha * (c & 255);
                }
                img.setRGB(x, y, ((int) Math.round(r) << 16) | ((int) Math.round(gg) << 8) | (int) Math.round(b));
            }
        }
        return img;
    }

    /** The course's alpha for a finding with probability p. */
    public static double alpha(double probability) {
        return Math.min(0.5, probability);
    }

    /** An image scaled to {@link #PANEL} with a title strip above it (lines wrapped, never cut off). */
    public static BufferedImage panel(BufferedImage image, String title) {
        return panel(image, List.of(new Line(title, Color.BLACK)), List.of(), false);
    }

    /** One line of a panel title, in its colour. */
    public record Line(String text, Color color) {
    }

    private static final Color PRESENT = new Color(0, 120, 0);
    private static final Color ABSENT = new Color(180, 0, 0);
    private static final Color UNKNOWN = new Color(90, 90, 90);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final int LINE_HEIGHT = 16;

    /**
     * An image scaled to {@link #PANEL} under a title of up to {@value #TITLE_LINES} lines (wrapped at word
     * boundaries; a smaller font when that is not enough), with boxes drawn on it in panel pixels (labelled with
     * their finding when {@code boxLabels}).
     */
    static BufferedImage panel(BufferedImage image, List<Line> title, List<BoundingBox> boxesInPanelPixels,
                               boolean boxLabels) {
        BufferedImage out = new BufferedImage(PANEL, PANEL + TITLE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, PANEL, TITLE);
        g.drawImage(image, 0, TITLE, PANEL, PANEL, null);
        drawTitle(g, title);
        g.translate(0, TITLE);
        drawBoxes(g, boxesInPanelPixels, boxLabels);
        g.dispose();
        return out;
    }

    private static void drawTitle(Graphics2D g, List<Line> title) {
        for (float size = TITLE_FONT.getSize2D(); ; size -= 1f) {
            g.setFont(TITLE_FONT.deriveFont(size));
            List<Line> lines = new ArrayList<>();
            for (Line l : title) {
                for (String w : wrap(l.text(), g.getFontMetrics(), PANEL - 6)) {
                    lines.add(new Line(w, l.color()));
                }
            }
            if (lines.size() <= TITLE_LINES || size <= 8f) {
                int y = LINE_HEIGHT - 4;
                for (Line l : lines.subList(0, Math.min(lines.size(), TITLE_LINES))) {
                    g.setColor(l.color());
                    g.drawString(l.text(), Math.max(3, (PANEL - g.getFontMetrics().stringWidth(l.text())) / 2), y);
                    y += LINE_HEIGHT;
                }
                return;
            }
        }
    }

    /** Greedy word wrap to {@code width} pixels; a single word wider than that is broken by characters. */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (fm.stringWidth(rest) > width && rest.length() > 1) {
                int n = rest.length() - 1;
                while (n > 1 && fm.stringWidth(rest.substring(0, n)) > width) {
                    n--;
                }
                lines.add(rest.substring(0, n));
                rest = rest.substring(n);
            }
            line.append(rest);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Lesion boxes as a white outline with a black edge (visible on grey and on every jet colour). */
    private static void drawBoxes(Graphics2D g, List<BoundingBox> boxes, boolean labels) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF); // crisp edges
        for (BoundingBox b : boxes) {
            int x = (int) Math.round(b.x());
            int y = (int) Math.round(b.y());
            int w = Math.max(1, (int) Math.round(b.width()));
            int h = Math.max(1, (int) Math.round(b.height()));
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(4f));
            g.drawRect(x, y, w, h);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(2f));
            g.drawRect(x, y, w, h);
            if (labels) {
                String t = b.finding().label();
                FontMetrics fm = g.getFontMetrics();
                java.awt.Point at = labelPosition(x, y, w, h, fm.stringWidth(t), fm.getAscent(), fm.getDescent());
                g.setColor(Color.BLACK);
                g.drawString(t, at.x + 1, at.y + 1);
                g.setColor(Color.WHITE);
                g.drawString(t, at.x, at.y);
            }
        }
    }

    /**
     * Where a box's label goes (its text baseline's left end) so that the whole text, shadow included, stays inside
     * the {@link #PANEL}-sized film: above the box when there is room, else below it, else just inside its top;
     * moved left from the right edge as far as its width needs.
     */
    static java.awt.Point labelPosition(int x, int y, int w, int h, int textWidth, int ascent, int descent) {
        int lx = Math.max(2, Math.min(x, PANEL - textWidth - 3));
        int above = y - 4;
        int below = y + h + 4 + ascent;
        int ty;
        if (above - ascent >= 1) {
            ty = above;
        } else if (below + descent + 1 <= PANEL - 1) {
            ty = below;
        } else {
            ty = y + 3 + ascent;
        }
        ty = Math.max(ascent + 1, Math.min(ty, PANEL - descent - 2));
        return new java.awt.Point(lx, ty);
    }

    /**
     * The colour scale of every overlay: jet from 0 (bottom) to 1 (top) = fraction of the map's maximum, with
     * ticks, as tall as a panel with its title.
     */
    public static BufferedImage colourBar() {
        int width = 78;
        BufferedImage out = new BufferedImage(width, PANEL + TITLE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, out.getHeight());
        int top = TITLE + 8;
        int bottom = TITLE + PANEL - 8;
        for (int y = top; y <= bottom; y++) {
            g.setColor(new Color(jet((bottom - y) / (double) (bottom - top))));
            g.drawLine(8, y, 24, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(8, top, 16, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            int y = bottom - i * (bottom - top) / 4;
            g.drawLine(24, y, 28, y);
            g.drawString(String.format(Locale.ROOT, "%.2f", i / 4.0), 31, y + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("heat /", 6, TITLE - 18);
        g.drawString("max", 6, TITLE - 5);
        g.dispose();
        return out;
    }

    /** Images side by side (all the same height), one pixel of white between. */
    public static BufferedImage row(List<BufferedImage> panels) {
        return grid(List.of(panels));
    }

    /** Rows of panels stacked; shorter rows are left-aligned on white. */
    public static BufferedImage grid(List<List<BufferedImage>> rows) {
        int width = 0;
        int height = 0;
        for (List<BufferedImage> r : rows) {
            int w = 0;
            int h = 0;
            for (BufferedImage p : r) {
                w += p.getWidth() + 1;
                h = Math.max(h, p.getHeight());
            }
            width = Math.max(width, w);
            height += h + 1;
        }
        BufferedImage out = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int y = 0;
        for (List<BufferedImage> r : rows) {
            int x = 0;
            int h = 0;
            for (BufferedImage p : r) {
                g.drawImage(p, x, y, null);
                x += p.getWidth() + 1;
                h = Math.max(h, p.getHeight());
            }
            y += h + 1;
        }
        g.dispose();
        return out;
    }

    /**
     * The course's figure with the truth drawn in: the film with its name, true labels and every lesion box, then
     * one overlay per finding ("Finding p = 0.873", whether the film has it, its boxes), then the colour bar.
     */
    public static BufferedImage topK(float[][] grey, FilmTruth truth, List<FindingHeatmap> heatmaps) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(original(grey, truth));
        for (FindingHeatmap fh : heatmaps) {
            panels.add(findingPanel(overlay(grey, fh.map(), alpha(fh.probability())), grey, truth, fh.finding(),
                    title(fh)));
        }
        panels.add(colourBar());
        return row(panels);
    }

    /** {@link #topK(float[][], FilmTruth, List)} for a test film with its labels and boxes. */
    public static BufferedImage topK(ExplainSample sample, List<FindingHeatmap> heatmaps) {
        return topK(grey(sample.input()), FilmTruth.of(sample), heatmaps);
    }

    /**
     * The course's Grad-CAM figure: one row per course example film ({@link CourseExamples}), each the film with its
     * true labels then one overlay per chosen finding (highest test AUC first) titled with its probability, and the
     * colour bar. With no example film in the test split, one panel saying so.
     */
    public static BufferedImage courseExamples(CourseExamples.Result result) {
        if (result.isEmpty()) {
            BufferedImage blank = new BufferedImage(PANEL, PANEL / 4, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = blank.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
            g.dispose();
            return panel(blank, "no course example film in this test split");
        }
        List<List<BufferedImage>> rows = new ArrayList<>();
        for (CourseExamples.Film f : result.films()) {
            rows.add(List.of(topK(f.sample(), f.heatmaps())));
        }
        return grid(rows);
    }

    /**
     * Draws the outline of each box (PNG pixels) on {@code image} in place, scaled by image side / PNG side, and
     * returns the image. A pixel is on the outline when it is the first or last pixel whose centre lies in the box.
     */
    public static BufferedImage withBoxes(BufferedImage image, List<BoundingBox> boxes, double pngWidth,
                                          double pngHeight) {
        if (!(pngWidth > 0 && pngHeight > 0)) {
            throw new IllegalArgumentException("PNG size must be positive, got " + pngWidth + "x" + pngHeight);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        for (BoundingBox box : boxes) {
            BoundingBox b = box.scaled(pngWidth, pngHeight, w, h);
            int x0 = Math.max(0, (int) Math.ceil(b.x() - 0.5));
            int y0 = Math.max(0, (int) Math.ceil(b.y() - 0.5));
            int x1 = Math.min(w - 1, (int) Math.ceil(b.x() + b.width() - 0.5) - 1);
            int y1 = Math.min(h - 1, (int) Math.ceil(b.y() + b.height() - 0.5) - 1);
            if (x1 < x0 || y1 < y0) {
                continue;
            }
            for (int x = x0; x <= x1; x++) {
                image.setRGB(x, y0, 0xFFFFFF);
                image.setRGB(x, y1, 0xFFFFFF);
            }
            for (int y = y0; y <= y1; y++) {
                image.setRGB(x0, y, 0xFFFFFF);
                image.setRGB(x1, y, 0xFFFFFF);
            }
        }
        return image;
    }

    /** Title of an overlay: {@code Cardiomegaly p = 0.873}. */
    public static String title(FindingHeatmap fh) {
        return String.format(Locale.ROOT, "%s p = %.3f", fh.finding().label(), fh.probability());
    }

    /** "on this film" / "not on this film" / "truth unknown" for a finding, in green, red or grey. */
    static Line presence(FilmTruth truth, Finding f) {
        if (!truth.labelled()) {
            return new Line("truth unknown", UNKNOWN);
        }
        if (truth.findings().contains(f)) {
            long boxes = truth.boxes().stream().filter(b -> b.finding() == f).count();
            return new Line("\u2713 on this film" + (boxes > 0 ? " (box drawn)" : ", no box"), PRESENT);
        }
        return new Line("\u2717 NOT on this film", ABSENT);
    }

    private static BufferedImage original(float[][] grey, FilmTruth truth) {
        List<Line> title = List.of(new Line(truth.name(), Color.BLACK), new Line(truth.labelsText(), Color.BLACK));
        return panel(greyImage(grey), title, truth.boxesShownAt(null, PANEL, PANEL), true);
    }

    private static BufferedImage findingPanel(BufferedImage image, float[][] grey, FilmTruth truth, Finding f,
                                              String heading) {
        return panel(image, List.of(new Line(heading, Color.BLACK), presence(truth, f)),
                truth.boxesShownAt(f, PANEL, PANEL), false);
    }

    /**
     * Gallery with one row per kind (true positives, false positives, false negatives): each overlay titled with
     * kind, finding and p, whether the film has it, its true labels, and that finding's boxes; a colour bar.
     */
    public static BufferedImage gallery(List<GalleryCase> cases) {
        List<List<BufferedImage>> rows = new ArrayList<>();
        for (CaseSelector.Kind kind : CaseSelector.Kind.values()) {
            List<BufferedImage> r = new ArrayList<>();
            for (GalleryCase c : cases) {
                if (c.pick().kind() == kind) {
                    CaseSelector.Pick p = c.pick();
                    FilmTruth truth = FilmTruth.of(c.sample());
                    float[][] grey = grey(c.input());
                    String heading = String.format(Locale.ROOT, "%s: %s p = %.2f", shortKind(kind), p.finding().label(),
                            p.probability());
                    r.add(panel(overlay(grey, c.heatmap(), alpha(p.probability())),
                            List.of(new Line(heading, Color.BLACK), presence(truth, p.finding()),
                                    new Line(truth.labelsText(), UNKNOWN)),
                            truth.boxesShownAt(p.finding(), PANEL, PANEL), false));
                }
            }
            if (!r.isEmpty()) {
                rows.add(r);
            }
        }
        if (!rows.isEmpty()) {
            rows.get(0).add(colourBar());
        }
        return grid(rows);
    }

    /**
     * The film with its truth, then one overlay per method (e.g. Grad-CAM vs Grad-CAM++) for one finding with
     * probability p, then the colour bar.
     */
    public static BufferedImage methods(ExplainSample sample, Finding finding, double probability,
                                        java.util.Map<String, float[][]> maps) {
        float[][] grey = grey(sample.input());
        FilmTruth truth = FilmTruth.of(sample);
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(original(grey, truth));
        maps.forEach((name, map) -> panels.add(findingPanel(overlay(grey, map, alpha(probability)), grey, truth,
                finding, String.format(Locale.ROOT, "%s p = %.3f", name, probability))));
        panels.add(colourBar());
        return row(panels);
    }

    private static String shortKind(CaseSelector.Kind k) {
        return switch (k) {
            case TRUE_POSITIVE -> "TP";
            case FALSE_POSITIVE -> "FP";
            case FALSE_NEGATIVE -> "FN";
        };
    }

}
