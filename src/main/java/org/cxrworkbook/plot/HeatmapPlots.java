package org.cxrworkbook.plot;

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
import org.cxrworkbook.explain.CaseSelector;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GalleryCase;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Heatmap overlays as the course draws them: the X-ray in grey, the heatmap in matplotlib's {@code jet} colour
 * map on top with alpha = min(0.5, p); rows of top-k findings with probabilities in the titles and galleries of
 * correct and wrong cases. Drawn with Java2D (XChart has no image layers).
 */
public final class HeatmapPlots {

    /** Side of each displayed panel in pixels (maps are resized with bilinear interpolation for display). */
    public static final int PANEL = 256;

    private static final int TITLE = 22;

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

    /** An image scaled to {@link #PANEL} with a title strip above it. */
    public static BufferedImage panel(BufferedImage image, String title) {
        BufferedImage out = new BufferedImage(PANEL, PANEL + TITLE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, PANEL, TITLE);
        g.drawImage(image, 0, TITLE, PANEL, PANEL, null);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        String t = title;
        while (fm.stringWidth(t) > PANEL - 4 && t.length() > 4) {
            t = t.substring(0, t.length() - 2);
        }
        g.drawString(t, Math.max(2, (PANEL - fm.stringWidth(t)) / 2), TITLE - 6);
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

    /** The course's figure: "Original" then one overlay per finding titled "Finding: p". */
    public static BufferedImage topK(float[][] grey, List<FindingHeatmap> heatmaps) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(panel(greyImage(grey), "Original"));
        for (FindingHeatmap fh : heatmaps) {
            panels.add(panel(overlay(grey, fh.map(), alpha(fh.probability())), title(fh)));
        }
        return row(panels);
    }

    /**
     * As {@link #topK(float[][], List)}, with each finding's lesion boxes outlined in white on its overlay. The boxes
     * are in the pixels of the PNG file ({@code pngWidth × pngHeight}, read from its header) and are scaled only by
     * (side of the shown image) / (side of the PNG), as torchxrayvision does; Data_Entry's original DICOM size
     * plays no part.
     */
    public static BufferedImage topK(float[][] grey, List<FindingHeatmap> heatmaps, List<BoundingBox> boxes,
                                     double pngWidth, double pngHeight) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(panel(greyImage(grey), "Original"));
        for (FindingHeatmap fh : heatmaps) {
            List<BoundingBox> own = boxes.stream().filter(b -> b.finding() == fh.finding()).toList();
            BufferedImage o = withBoxes(overlay(grey, fh.map(), alpha(fh.probability())), own, pngWidth, pngHeight);
            panels.add(panel(o, title(fh)));
        }
        return row(panels);
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

    /** Title of an overlay: {@code Cardiomegaly: 0.873}. */
    public static String title(FindingHeatmap fh) {
        return String.format(Locale.ROOT, "%s: %.3f", fh.finding().label(), fh.probability());
    }

    /** Gallery with one row per kind (true positives, false positives, false negatives), titles with p. */
    public static BufferedImage gallery(List<GalleryCase> cases) {
        List<List<BufferedImage>> rows = new ArrayList<>();
        for (CaseSelector.Kind kind : CaseSelector.Kind.values()) {
            List<BufferedImage> r = new ArrayList<>();
            for (GalleryCase c : cases) {
                if (c.pick().kind() == kind) {
                    CaseSelector.Pick p = c.pick();
                    String t = String.format(Locale.ROOT, "%s · %s %.2f", shortKind(kind), p.finding().label(),
                            p.probability());
                    r.add(panel(overlay(grey(c.input()), c.heatmap(), alpha(p.probability())), t));
                }
            }
            if (!r.isEmpty()) {
                rows.add(r);
            }
        }
        return grid(rows);
    }

    /** "Original" then one overlay per method (e.g. Grad-CAM vs Grad-CAM++) for one finding with probability p. */
    public static BufferedImage methods(float[][] grey, double probability, java.util.Map<String, float[][]> maps) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(panel(greyImage(grey), "Original"));
        maps.forEach((name, map) -> panels.add(panel(overlay(grey, map, alpha(probability)),
                String.format(Locale.ROOT, "%s (p %.3f)", name, probability))));
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
