package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;

/**
 * Scores heatmaps against lesion boxes: the pointing game (is the map's maximum inside a box of that finding?) and
 * the IoU of the thresholded map with the union of that finding's boxes, per finding and overall, next to a
 * centre-prior and a random-map baseline scored the same way.
 *
 * <p>Conventions (documented because they change the numbers):
 * <ul>
 *   <li>Boxes are in the pixels of the PNG file (as NIH's BBox_List is: pixels of the 1024² PNG); they are
 *       clipped to the PNG, then scaled by (map side) / (PNG side); a box with no area left is
 *       dropped, and an (image, finding) pair with no box left is skipped and counted.</li>
 *   <li>A map pixel (x, y) belongs to a box when its centre (x + ½, y + ½) does.</li>
 *   <li>The maximum is the first maximal pixel in row-major order; a map with no positive value points nowhere
 *       (a miss) and highlights nothing (IoU 0).</li>
 *   <li>Highlighted pixels: value ≥ threshold · max and value &gt; 0 (threshold 0.5 by default).</li>
 *   <li>Images without boxes are skipped and counted; every boxed finding of a scored image needs a heatmap.</li>
 *   <li>Centre prior: Gaussian centred on the image, σ = centreSigma · shorter side. Random: uniform noise per
 *       pixel, averaged over {@code randomDraws} seeded draws per pair.</li>
 *   <li>"All" averages over (image, finding) pairs (micro average).</li>
 * </ul>
 */
public final class LocalisationScorer {

    private final LocalisationOptions options;

    private LocalisationScorer(LocalisationOptions options) {
        this.options = options;
    }

    /** A scorer with the given options. */
    public static LocalisationScorer with(LocalisationOptions options) {
        return new LocalisationScorer(options);
    }

    /** A scorer with {@link LocalisationOptions#defaults()}. */
    public static LocalisationScorer defaults() {
        return new LocalisationScorer(LocalisationOptions.defaults());
    }

    /** Scores every case; {@code method} names the heatmap method in the report. */
    public LocalisationReport score(List<LocalisationCase> cases, String method) {
        Map<Finding, double[]> sums = new EnumMap<>(Finding.class); // n, hit, iou, hitC, iouC, hitR, iouR
        int imagesScored = 0;
        int imagesWithoutBoxes = 0;
        int pairsSkipped = 0;
        Random random = new Random(options.seed());
        for (LocalisationCase c : cases) {
            if (c.boxes().isEmpty()) {
                imagesWithoutBoxes++;
                continue;
            }
            imagesScored++;
            Map<Finding, List<BoundingBox>> byFinding = new LinkedHashMap<>();
            for (BoundingBox b : c.boxes()) {
                byFinding.computeIfAbsent(b.finding(), f -> new ArrayList<>()).add(b);
            }
            for (Map.Entry<Finding, List<BoundingBox>> e : byFinding.entrySet()) {
                float[][] map = c.heatmaps().get(e.getKey());
                if (map == null) {
                    throw new IllegalArgumentException(c.imageIndex() + ": no heatmap for boxed finding "
                            + e.getKey());
                }
                int h = map.length;
                int w = map[0].length;
                List<BoundingBox> boxes = toMapPixels(e.getValue(), c.pngWidth(), c.pngHeight(), w, h);
                if (boxes.isEmpty()) {
                    pairsSkipped++;
                    continue;
                }
                double[] s = sums.computeIfAbsent(e.getKey(), f -> new double[7]);
                s[0]++;
                s[1] += pointingHit(map, boxes) ? 1 : 0;
                s[2] += iou(map, options.threshold(), boxes);
                float[][] centre = centrePrior(h, w, options.centreSigma());
                s[3] += pointingHit(centre, boxes) ? 1 : 0;
                s[4] += iou(centre, options.threshold(), boxes);
                double hits = 0;
                double ious = 0;
                for (int d = 0; d < options.randomDraws(); d++) {
                    float[][] noise = randomMap(h, w, random);
                    hits += pointingHit(noise, boxes) ? 1 : 0;
                    ious += iou(noise, options.threshold(), boxes);
                }
                s[5] += hits / options.randomDraws();
                s[6] += ious / options.randomDraws();
            }
        }
        List<LocalisationReport.Row> rows = new ArrayList<>();
        double[] all = new double[7];
        for (Map.Entry<Finding, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            rows.add(row(e.getKey().label(), s));
            for (int i = 0; i < 7; i++) {
                all[i] += s[i];
            }
        }
        if (all[0] > 0) {
            rows.add(row(LocalisationReport.ALL, all));
        }
        return new LocalisationReport(method, options, rows, imagesScored, imagesWithoutBoxes, pairsSkipped);
    }

    private static LocalisationReport.Row row(String name, double[] s) {
        double n = s[0];
        return new LocalisationReport.Row(name, (int) n, s[1] / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n, s[6] / n);
    }

    /** Boxes (PNG pixels) clipped to the PNG and scaled to a map of {@code mapW × mapH}; empty boxes dropped. */
    public static List<BoundingBox> toMapPixels(List<BoundingBox> boxes, double pngW, double pngH,
                                                int mapW, int mapH) {
        List<BoundingBox> out = new ArrayList<>();
        for (BoundingBox b : boxes) {
            double x0 = Math.max(0, b.x());
            double y0 = Math.max(0, b.y());
            double x1 = Math.min(pngW, b.x() + b.width());
            double y1 = Math.min(pngH, b.y() + b.height());
            if (x1 > x0 && y1 > y0) {
                out.add(new BoundingBox(b.imageIndex(), b.finding(), x0, y0, x1 - x0, y1 - y0)
                        .scaled(pngW, pngH, mapW, mapH));
            }
        }
        return out;
    }

    /** Row-major position {y, x} of the first maximal pixel, or null when no pixel is positive. */
    public static int[] argmax(float[][] map) {
        int[] best = null;
        float max = 0;
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                if (map[y][x] > max) {
                    max = map[y][x];
                    best = new int[] {y, x};
                }
            }
        }
        return best;
    }

    /** Pointing game: true when the map's maximum pixel centre lies in one of the boxes (map pixels). */
    public static boolean pointingHit(float[][] map, List<BoundingBox> boxes) {
        int[] p = argmax(map);
        if (p == null) {
            return false;
        }
        for (BoundingBox b : boxes) {
            if (b.contains(p[1] + 0.5, p[0] + 0.5)) {
                return true;
            }
        }
        return false;
    }

    /** IoU of {value ≥ threshold·max, value &gt; 0} with the union of the boxes (map pixels, centre rule). */
    public static double iou(float[][] map, double threshold, List<BoundingBox> boxes) {
        float max = 0;
        for (float[] row : map) {
            for (float v : row) {
                max = Math.max(max, v);
            }
        }
        double cut = threshold * max;
        long inter = 0;
        long union = 0;
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                boolean lit = max > 0 && map[y][x] > 0 && map[y][x] >= cut;
                boolean inBox = false;
                for (BoundingBox b : boxes) {
                    if (b.contains(x + 0.5, y + 0.5)) {
                        inBox = true;
                        break;
                    }
                }
                inter += lit && inBox ? 1 : 0;
                union += lit || inBox ? 1 : 0;
            }
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    /** Gaussian centred on the image, σ = sigmaFraction · shorter side, maximum 1. */
    public static float[][] centrePrior(int height, int width, double sigmaFraction) {
        double sigma = sigmaFraction * Math.min(height, width);
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        float[][] m = new float[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                m[y][x] = (float) Math.exp(-d2 / (2 * sigma * sigma));
            }
        }
        return m;
    }

    /** Uniform noise in [0, 1) per pixel from the given generator. */
    public static float[][] randomMap(int height, int width, Random random) {
        float[][] m = new float[height][width];
        for (float[] row : m) {
            for (int x = 0; x < width; x++) {
                row[x] = random.nextFloat();
            }
        }
        return m;
    }
}
