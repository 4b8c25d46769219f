package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Faithfulness of heatmaps by deletion and insertion curves (Petsiuk et al. 2018): remove the most salient pixels
 * first and watch the finding's probability fall (deletion), or reveal them first on a blank film and watch it rise
 * (insertion). A removed pixel takes the value 0, the training mean under featurewise standardisation. Each curve
 * is sampled at {@code steps + 1} equally spaced fractions of the pixels and its area taken by the trapezoid rule
 * over [0, 1]: a map that points at what the model uses has a low deletion area and a high insertion area; seeded
 * random maps give the level of chance. Where localisation (pointing game, IoU) asks whether the map hits the
 * lesion, this asks whether the model's score depends on what the map shows.
 */
public final class Faithfulness {

    private final int steps;
    private final int maxPairs;
    private final long seed;

    private Faithfulness(int steps, int maxPairs, long seed) {
        if (steps < 1 || maxPairs < 1) {
            throw new IllegalArgumentException("need steps >= 1 and maxPairs >= 1, got " + steps + ", " + maxPairs);
        }
        this.steps = steps;
        this.maxPairs = maxPairs;
        this.seed = seed;
    }

    /**
     * {@code steps} fractions per curve (a pair costs 2 forward passes for its ends, shared by every method, and
     * 2·(steps − 1) per method), at most {@code maxPairs} (film, boxed finding) pairs, {@code seed} for the random maps and for breaking ties between equal pixels.
     */
    public static Faithfulness of(int steps, int maxPairs, long seed) {
        return new Faithfulness(steps, maxPairs, seed);
    }

    /** One pair's deletion and insertion probabilities at the fractions 0, 1/steps, …, 1. */
    public record Curves(double[] deletion, double[] insertion) {

        /** Trapezoid area under the deletion curve (lower = more faithful). */
        public double deletionArea() {
            return area(deletion);
        }

        /** Trapezoid area under the insertion curve (higher = more faithful). */
        public double insertionArea() {
            return area(insertion);
        }
    }

    /** Per method: the pairs scored, mean areas, mean curves and, from its localisation report, pointing game and IoU. */
    public record Row(String method, int pairs, double deletionArea, double insertionArea, double[] meanDeletion,
                      double[] meanInsertion, double pointing, double iou) {
    }

    /**
     * The curves of one film [1, c, h, w] for class {@code classIndex}, pixels ordered by {@code saliency} [h][w]
     * (highest first; equal values in a seeded random order).
     */
    public Curves curves(ComputationGraph graph, INDArray input, int classIndex, float[][] saliency) {
        double[] ends = endpoints(graph, input, classIndex);
        return curves(graph, input, classIndex, saliency, ends[0], ends[1]);
    }

    /**
     * The probability of {@code classIndex} for the film itself and for the blank film (every pixel 0): the two ends
     * of both curves (deletion runs original → blank, insertion blank → original), the same for every method, so
     * {@link #score} computes them once per pair.
     */
    static double[] endpoints(ComputationGraph graph, INDArray input, int classIndex) {
        INDArray out = graph.outputSingle(false, Nd4j.concat(0, input, Nd4j.zerosLike(input)));
        return new double[] {out.getDouble(0, classIndex), out.getDouble(1, classIndex)};
    }

    /** The curves with their known ends; the 2·(steps − 1) interior variants go through the network in one batch. */
    private Curves curves(ComputationGraph graph, INDArray input, int classIndex, float[][] saliency, double original,
                          double blank) {
        long[] shape = input.shape();
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        if (saliency.length != h || saliency[0].length != w) {
            throw new IllegalArgumentException("saliency map is " + saliency.length + "x" + saliency[0].length
                    + " but the input is " + h + "x" + w);
        }
        int[] order = order(saliency, new Random(seed));
        float[] pixels = input.dup().data().asFloat();
        int plane = h * w;
        int n = steps + 1;
        int inner = steps - 1;   // fractions 1/steps … (steps−1)/steps
        double[] deletion = new double[n];
        double[] insertion = new double[n];
        deletion[0] = original;
        insertion[n - 1] = original;
        deletion[n - 1] = blank;
        insertion[0] = blank;
        if (inner == 0) {
            return new Curves(deletion, insertion);
        }
        float[] batch = new float[2 * inner * c * plane];
        for (int j = 0; j < inner; j++) {
            int cut = (int) Math.round((double) (j + 1) / steps * plane);
            boolean[] top = new boolean[plane];
            for (int i = 0; i < cut; i++) {
                top[order[i]] = true;
            }
            int del = j * c * plane;
            int ins = (inner + j) * c * plane;
            for (int ch = 0; ch < c; ch++) {
                for (int px = 0; px < plane; px++) {
                    float v = pixels[ch * plane + px];
                    batch[del + ch * plane + px] = top[px] ? 0f : v;
                    batch[ins + ch * plane + px] = top[px] ? v : 0f;
                }
            }
        }
        INDArray out = graph.outputSingle(false,
                Nd4j.create(batch, new long[] {2L * inner, c, h, w}, 'c').castTo(input.dataType()));
        for (int j = 0; j < inner; j++) {
            deletion[j + 1] = out.getDouble(j, classIndex);
            insertion[j + 1] = out.getDouble(inner + j, classIndex);
        }
        return new Curves(deletion, insertion);
    }

    /**
     * Scores each method's heatmaps, plus seeded random maps, on the same (film, boxed finding) pairs: the pairs of
     * the first result, in order, at most {@code maxPairs}. Pointing game and IoU come from each result's report.
     */
    public Report score(ComputationGraph graph, List<GradCamRun.Result> methods) {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no heatmap results to score");
        }
        record Pair(int image, Finding finding) {
        }
        List<Pair> pairs = new ArrayList<>();
        List<GradCamRun.Explained> images = methods.get(0).images();
        for (int i = 0; i < images.size() && pairs.size() < maxPairs; i++) {
            for (Finding f : images.get(i).heatmaps().keySet()) {
                if (pairs.size() < maxPairs && images.get(i).sample().boxes().stream().map(BoundingBox::finding).anyMatch(f::equals)) {
                    pairs.add(new Pair(i, f));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (GradCamRun.Result m : methods) {
            names.add(m.report().method());
        }
        names.add("random");
        List<double[]> ends = new ArrayList<>();
        for (Pair p : pairs) {
            ends.add(endpoints(graph, images.get(p.image()).sample().input(), p.finding().ordinal()));
        }
        Random random = new Random(seed);
        for (int mi = 0; mi < names.size(); mi++) {
            List<Curves> curves = new ArrayList<>();
            for (int pi = 0; pi < pairs.size(); pi++) {
                Pair p = pairs.get(pi);
                GradCamRun.Explained e = images.get(p.image());
                float[][] map;
                if (mi < methods.size()) {
                    map = methods.get(mi).images().get(p.image()).heatmaps().get(p.finding());
                } else {
                    long[] s = e.sample().input().shape();
                    map = LocalisationScorer.randomMap((int) s[2], (int) s[3], random);
                }
                curves.add(curves(graph, e.sample().input(), p.finding().ordinal(), map, ends.get(pi)[0], ends.get(pi)[1]));
            }
            double pointing = Double.NaN;
            double iou = Double.NaN;
            if (mi < methods.size()) {
                var all = methods.get(mi).report().overall();
                pointing = all.map(LocalisationReport.Row::pointing).orElse(Double.NaN);
                iou = all.map(LocalisationReport.Row::iou).orElse(Double.NaN);
            } else {
                var all = methods.get(0).report().overall();
                pointing = all.map(LocalisationReport.Row::pointingRandom).orElse(Double.NaN);
                iou = all.map(LocalisationReport.Row::iouRandom).orElse(Double.NaN);
            }
            rows.add(new Row(names.get(mi), curves.size(),
                    curves.stream().mapToDouble(Curves::deletionArea).average().orElse(Double.NaN),
                    curves.stream().mapToDouble(Curves::insertionArea).average().orElse(Double.NaN),
                    meanCurve(curves, true), meanCurve(curves, false), pointing, iou));
        }
        return new Report(rows, steps, seed);
    }

    /** Deletion/insertion areas per method next to pointing game and IoU. */
    public record Report(List<Row> rows, int steps, long seed) {

        public Report {
            rows = List.copyOf(rows);
        }

        /** The row of one method ("Grad-CAM", "Grad-CAM++", "random", …). */
        public Row get(String method) {
            return rows.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("no method '" + method + "', have "
                            + rows.stream().map(Row::method).toList()));
        }

        /** Method, pairs, deletion area (lower better), insertion area (higher better), pointing game, IoU. */
        public Table table() {
            return Table.create("Faithfulness (" + (steps + 1) + " points per curve, removed pixels = 0) and localisation",
                    StringColumn.create("Method", rows.stream().map(Row::method).toList()),
                    IntColumn.create("Pairs", rows.stream().mapToInt(Row::pairs).toArray()),
                    DoubleColumn.create("Deletion area (lower better)", rows.stream().mapToDouble(r -> round3(r.deletionArea())).toArray()),
                    DoubleColumn.create("Insertion area (higher better)", rows.stream().mapToDouble(r -> round3(r.insertionArea())).toArray()),
                    DoubleColumn.create("Pointing game", rows.stream().mapToDouble(r -> round3(r.pointing())).toArray()),
                    DoubleColumn.create("IoU", rows.stream().mapToDouble(r -> round3(r.iou())).toArray()));
        }

        /** A sentence from the numbers: does each method beat random maps on both curves? */
        public String summary() {
            Row rnd = get("random");
            if (rnd.pairs() == 0) {
                return "No film-finding pair with a lesion box among these films (the course's folder has no boxes): "
                        + "there is nothing to delete or insert, so no method is scored.";
            }
            List<String> parts = new ArrayList<>();
            for (Row r : rows) {
                if (r == rnd) {
                    continue;
                }
                boolean del = r.deletionArea() < rnd.deletionArea();
                boolean ins = r.insertionArea() > rnd.insertionArea();
                parts.add(String.format(Locale.ROOT, "%s %s random maps on deletion (%.3f vs %.3f) and %s on insertion (%.3f vs %.3f)",
                        r.method(), del ? "beats" : "does not beat", r.deletionArea(), rnd.deletionArea(),
                        ins ? "beats them" : "does not beat them", r.insertionArea(), rnd.insertionArea()));
            }
            return String.join("; ", parts) + String.format(Locale.ROOT, " (%d film-finding pairs).", rnd.pairs());
        }

        /** JSON-ready map for {@code metrics/faithfulness.json}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("points_per_curve", steps + 1);
            m.put("removed_pixel_value", 0);
            m.put("seed", seed);
            Map<String, Object> per = new LinkedHashMap<>();
            for (Row r : rows) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("pairs", r.pairs());
                f.put("deletion_area", num(r.deletionArea()));
                f.put("insertion_area", num(r.insertionArea()));
                f.put("pointing_game", num(r.pointing()));
                f.put("iou", num(r.iou()));
                f.put("mean_deletion_curve", r.meanDeletion());
                f.put("mean_insertion_curve", r.meanInsertion());
                per.put(r.method(), f);
            }
            m.put("methods", per);
            return m;
        }

        /** Writes {@link #toMap()} as JSON (parent folders created). */
        public java.nio.file.Path writeJson(java.nio.file.Path file) {
            return org.cxrworkbook.data.AtomicFiles.writeString(file, LocalisationReport.toJson(toMap()) + "\n");
        }

        @Override
        public String toString() {
            return table().print();
        }
    }

    /** Pixel indices (row-major) by saliency, highest first; equal saliencies in a seeded random order. */
    static int[] order(float[][] saliency, Random random) {
        int h = saliency.length;
        int w = saliency[0].length;
        List<Integer> idx = new ArrayList<>(h * w);
        for (int i = 0; i < h * w; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, random);
        idx.sort((a, b) -> Float.compare(saliency[b / w][b % w], saliency[a / w][a % w]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    static double area(double[] curve) {
        if (curve.length < 2) {
            return curve.length == 1 ? curve[0] : Double.NaN;
        }
        double s = 0;
        for (int k = 0; k + 1 < curve.length; k++) {
            s += (curve[k] + curve[k + 1]) / 2;
        }
        return s / (curve.length - 1);
    }

    private static double[] meanCurve(List<Curves> curves, boolean deletion) {
        if (curves.isEmpty()) {
            return new double[0];
        }
        double[] m = new double[curves.get(0).deletion().length];
        for (Curves c : curves) {
            double[] v = deletion ? c.deletion() : c.insertion();
            for (int k = 0; k < m.length; k++) {
                m[k] += v[k] / curves.size();
            }
        }
        return Arrays.stream(m).map(Faithfulness::round4).toArray();
    }

    private static double round3(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static Double num(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
