package org.cxrworkbook.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How evenly a split shares out each finding: the percentage of every part's images that carry it,
 * the largest gap between parts, and the single patient contributing most to that gap — the numbers
 * behind notebook 02's sentence on stratification, so the sentence is always true for the split shown.
 */
public final class SplitBalance {

    private final List<String> names;
    private final List<List<ImageRecord>> parts;
    private final double[][] percent;

    private SplitBalance(Map<String, List<ImageRecord>> splits) {
        names = List.copyOf(splits.keySet());
        parts = new ArrayList<>(splits.values());
        percent = new double[Finding.COUNT][names.size()];
        for (int s = 0; s < names.size(); s++) {
            List<ImageRecord> part = parts.get(s);
            int[] counts = PatientSplitter.findingCounts(part);
            for (int f = 0; f < Finding.COUNT; f++) {
                percent[f][s] = part.isEmpty() ? Double.NaN : 100.0 * counts[f] / part.size();
            }
        }
    }

    /** The balance of named parts (e.g. {@code splits.asMap()}); parts keep the map's order. */
    public static SplitBalance of(Map<String, List<ImageRecord>> splits) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("no parts to compare");
        }
        return new SplitBalance(splits);
    }

    /** Percentage of the images of part {@code part} that carry {@code finding} (NaN for an empty part). */
    public double percent(Finding finding, String part) {
        int s = names.indexOf(part);
        if (s < 0) {
            throw new IllegalArgumentException("unknown part '" + part + "', expected one of " + names);
        }
        return percent[finding.ordinal()][s];
    }

    /** Largest minus smallest share of {@code finding} over the non-empty parts, in percentage points. */
    public double gap(Finding finding) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double v : percent[finding.ordinal()]) {
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        return max >= min ? max - min : 0;
    }

    /** The finding whose share differs most between parts (the first in canonical order on ties). */
    public Finding widestGap() {
        Finding worst = Finding.all().get(0);
        for (Finding f : Finding.all()) {
            if (gap(f) > gap(worst)) {
                worst = f;
            }
        }
        return worst;
    }

    /** One row per finding: its percentage in every part and the gap in percentage points. */
    public Table table() {
        Table t = Table.create("Finding share per split (% of images)",
                StringColumn.create("Finding", Finding.labels()));
        for (int s = 0; s < names.size(); s++) {
            double[] col = new double[Finding.COUNT];
            for (int f = 0; f < Finding.COUNT; f++) {
                col[f] = round1(percent[f][s]);
            }
            t.addColumns(DoubleColumn.create(names.get(s) + " %", col));
        }
        t.addColumns(DoubleColumn.create("gap (points)", Finding.all().stream().mapToDouble(f -> round1(gap(f))).toArray()));
        return t;
    }

    /**
     * A sentence on how even the split is, made from the numbers: the widest gap with both shares, how
     * many of that finding's films in the higher part belong to its largest contributing patient, and
     * any finding absent from a part.
     */
    public String summary() {
        Finding f = widestGap();
        int hi = argExtreme(f, true);
        int lo = argExtreme(f, false);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Each finding's share of the images differs between the splits by at most %.1f percentage points: "
                        + "the widest gap is %s, %.1f %% of %s against %.1f %% of %s.",
                gap(f), f.label(), percent[f.ordinal()][hi], names.get(hi), percent[f.ordinal()][lo], names.get(lo)));
        Map<String, Integer> byPatient = new LinkedHashMap<>();
        int total = 0;
        for (ImageRecord r : parts.get(hi)) {
            if (r.has(f)) {
                byPatient.merge(r.patientId(), 1, Integer::sum);
                total++;
            }
        }
        var top = byPatient.entrySet().stream().max(Map.Entry.comparingByValue());
        if (top.isPresent() && top.get().getValue() > 1) {
            sb.append(String.format(Locale.ROOT,
                    " %d of the %d %s films in %s belong to one patient (%s), whose films must stay together.",
                    top.get().getValue(), total, f.label(), names.get(hi), top.get().getKey()));
        }
        List<String> missing = new ArrayList<>();
        for (Finding g : Finding.all()) {
            for (int s = 0; s < names.size(); s++) {
                if (!parts.get(s).isEmpty() && percent[g.ordinal()][s] == 0) {
                    missing.add(g.label() + " in " + names.get(s));
                }
            }
        }
        sb.append(missing.isEmpty() ? " Every finding has films in every split."
                : " No films of: " + String.join(", ", missing) + ".");
        return sb.toString();
    }

    private int argExtreme(Finding f, boolean max) {
        int best = -1;
        for (int s = 0; s < names.size(); s++) {
            double v = percent[f.ordinal()][s];
            if (!Double.isNaN(v) && (best < 0 || (max ? v > percent[f.ordinal()][best] : v < percent[f.ordinal()][best]))) {
                best = s;
            }
        }
        return best;
    }

    private static double round1(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }
}
