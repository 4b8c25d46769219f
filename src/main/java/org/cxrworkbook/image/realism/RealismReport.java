package org.cxrworkbook.image.realism;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Real films against one or more phantom sets, measure by measure. Histogram and profile rows give each
 * set's mean distance of a film to the pooled real films (real films: leave-one-out, i.e. how far real
 * films are from each other); scalar rows give each set's mean ± sd and the distance |set mean − real mean|.
 */
public final class RealismReport {

    /** One row of the report: a measure, its unit, the real value and one cell per phantom set. */
    public record Row(String measure, String unit, Cell real, List<Cell> sets) {
    }

    /** A set's value of a measure (mean and sd over its films) and its distance to the real films. */
    public record Cell(double mean, double sd, double distance) {
    }

    private final List<String> setNames;
    private final int realFilms;
    private final List<Integer> setFilms;
    private final List<Row> rows;

    private RealismReport(List<String> setNames, int realFilms, List<Integer> setFilms, List<Row> rows) {
        this.setNames = setNames;
        this.realFilms = realFilms;
        this.setFilms = setFilms;
        this.rows = rows;
    }

    /** Compares real films with each named phantom set (measured at the same size). */
    public static RealismReport compare(List<FilmMeasures> real, Map<String, List<FilmMeasures>> sets) {
        if (real.size() < 2) {
            throw new IllegalArgumentException("need at least 2 real films (leave-one-out baseline), got " + real.size());
        }
        List<Row> rows = new ArrayList<>();
        rows.add(distanceRow("histogram distance, whole film", "W1 grey levels", real, sets, FilmMeasures::histogram, true));
        rows.add(distanceRow("histogram distance, lungs", "W1 grey levels", real, sets, FilmMeasures::lungHistogram, true));
        rows.add(scalarRow("power-spectrum slope (0.03–0.25 cyc/px)", "log-log slope", real, sets, FilmMeasures::spectrumSlope));
        rows.add(scalarRow("edge 10–90 % width, medial lung border", "px", real, sets, FilmMeasures::medialEdgeWidth));
        rows.add(scalarRow("edge 10–90 % width, lateral lung border", "px", real, sets, FilmMeasures::lateralEdgeWidth));
        rows.add(scalarRow("lung local contrast (median 5×5 SD)", "grey levels", real, sets, FilmMeasures::lungLocalSd));
        rows.add(distanceRow("mid-lung horizontal profile", "RMS grey levels", real, sets, FilmMeasures::profile, false));
        rows.add(scalarRow("lung mask share of the film", "fraction", real, sets, FilmMeasures::lungFraction));
        return new RealismReport(List.copyOf(sets.keySet()), real.size(),
                sets.values().stream().map(List::size).toList(), rows);
    }

    /** The rows, in display order. */
    public List<Row> rows() {
        return rows;
    }

    private static Row scalarRow(String name, String unit, List<FilmMeasures> real,
                                 Map<String, List<FilmMeasures>> sets, ToDoubleFunction<FilmMeasures> f) {
        double[] r = stats(real.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray());
        List<Cell> cells = new ArrayList<>();
        for (List<FilmMeasures> s : sets.values()) {
            double[] st = stats(s.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray());
            cells.add(new Cell(st[0], st[1], Math.abs(st[0] - r[0])));
        }
        return new Row(name, unit, new Cell(r[0], r[1], 0), cells);
    }

    private static Row distanceRow(String name, String unit, List<FilmMeasures> real,
                                   Map<String, List<FilmMeasures>> sets,
                                   java.util.function.Function<FilmMeasures, double[]> f, boolean histogram) {
        double[] realD = new double[real.size()];
        for (int i = 0; i < real.size(); i++) {
            List<double[]> others = new ArrayList<>();
            for (int j = 0; j < real.size(); j++) {
                if (j != i) {
                    others.add(f.apply(real.get(j)));
                }
            }
            realD[i] = distance(f.apply(real.get(i)), mean(others), histogram);
        }
        double[] pool = mean(real.stream().map(f).toList());
        double[] r = stats(realD);
        List<Cell> cells = new ArrayList<>();
        for (List<FilmMeasures> s : sets.values()) {
            double[] st = stats(s.stream().mapToDouble(m -> distance(f.apply(m), pool, histogram)).toArray());
            cells.add(new Cell(st[0], st[1], st[0]));
        }
        return new Row(name, unit, new Cell(r[0], r[1], r[0]), cells);
    }

    /** Wasserstein-1 distance between two normalised histograms over 0..255 (in grey levels), or RMS difference. */
    static double distance(double[] a, double[] b, boolean histogram) {
        double s = 0;
        if (histogram) {
            double ca = 0;
            double cb = 0;
            double width = 256.0 / a.length;
            for (int i = 0; i < a.length; i++) {
                ca += a[i];
                cb += b[i];
                s += Math.abs(ca - cb) * width;
            }
            return s;
        }
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    private static double[] mean(List<double[]> xs) {
        double[] m = new double[xs.get(0).length];
        for (double[] x : xs) {
            for (int i = 0; i < m.length; i++) {
                m[i] += x[i] / xs.size();
            }
        }
        return m;
    }

    private static double[] stats(double[] x) {
        if (x.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double m = 0;
        for (double v : x) {
            m += v;
        }
        m /= x.length;
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return new double[] {m, x.length > 1 ? Math.sqrt(s / (x.length - 1)) : 0};
    }

    /** A Markdown table: one column for the real films, one per set with its distance to them. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("| measure | unit | real (").append(realFilms).append(" films) |");
        for (int i = 0; i < setNames.size(); i++) {
            b.append(' ').append(setNames.get(i)).append(" (").append(setFilms.get(i)).append(") | distance |");
        }
        b.append('\n').append("|---|---|---:|");
        b.append("---:|---:|".repeat(setNames.size()));
        b.append('\n');
        for (Row r : rows) {
            b.append("| ").append(r.measure()).append(" | ").append(r.unit()).append(" | ").append(fmt(r.real())).append(" |");
            for (Cell c : r.sets()) {
                b.append(' ').append(fmt(c)).append(" | ").append(String.format(Locale.ROOT, "%.3g", c.distance())).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String fmt(Cell c) {
        return String.format(Locale.ROOT, "%.3g ± %.2g", c.mean(), c.sd());
    }

    /** Plain values for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("real_films", realFilms);
        Map<String, Object> sizes = new LinkedHashMap<>();
        for (int i = 0; i < setNames.size(); i++) {
            sizes.put(setNames.get(i), setFilms.get(i));
        }
        m.put("sets", sizes);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("measure", r.measure());
            row.put("unit", r.unit());
            row.put("real", cell(r.real()));
            Map<String, Object> cs = new LinkedHashMap<>();
            for (int i = 0; i < setNames.size(); i++) {
                cs.put(setNames.get(i), cell(r.sets().get(i)));
            }
            row.put("sets", cs);
            rs.add(row);
        }
        m.put("rows", rs);
        return m;
    }

    private static Map<String, Object> cell(Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", finite(c.mean()));
        m.put("sd", finite(c.sd()));
        m.put("distance", finite(c.distance()));
        return m;
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** {@link #toMap()} as pretty JSON. */
    public String toJson() {
        return json(toMap());
    }

    /** Pretty JSON of plain values (DL4J's shaded Jackson). */
    public static String json(Object value) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
