package org.cxrworkbook.eval;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.data.Finding;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of an {@link OperatingPointAnalysis}: per finding the validation threshold, what it gives on test
 * (sensitivity and specificity with bootstrap intervals, PPV, NPV), calibration on test and both prevalences.
 */
public record OperatingPointReport(List<Row> rows, int validationImages, int testImages, int testPatients,
                                   int bootstrap, long seed, double level, double shiftRatio, double shiftPoints) {

    public OperatingPointReport {
        rows = List.copyOf(rows);
    }

    /**
     * One finding: the operating point at the validation threshold on validation and on test (empty when the
     * validation labels are all one value), test intervals, prevalences, mean predicted probability on test.
     */
    public record Row(Finding finding, Optional<OperatingPoint> validation, Optional<OperatingPoint> test,
                      Interval sensitivityCi, Interval specificityCi, double validationPrevalence,
                      double testPrevalence, double meanPredictedTest, boolean prevalenceShift) {

        /** The threshold chosen on validation, NaN when none could be chosen. */
        public double threshold() {
            return validation.map(OperatingPoint::threshold).orElse(Double.NaN);
        }
    }

    /** The row of one finding. */
    public Row get(Finding finding) {
        return rows.stream().filter(r -> r.finding() == finding).findFirst().orElseThrow();
    }

    /** The thresholds chosen on validation (findings without one are left out). */
    public Map<Finding, Double> thresholds() {
        Map<Finding, Double> m = new LinkedHashMap<>();
        rows.forEach(r -> r.validation().ifPresent(o -> m.put(r.finding(), o.threshold())));
        return m;
    }

    /** The findings whose validation and test prevalence differ markedly. */
    public List<Finding> shifted() {
        return rows.stream().filter(Row::prevalenceShift).map(Row::finding).toList();
    }

    /**
     * One row per finding: threshold (validation), sensitivity on validation and on test with its interval,
     * specificity on test with its interval, PPV and NPV on test, mean predicted probability against observed
     * rate on test (calibration), validation and test prevalence, and a note.
     */
    public Table table() {
        String pct = Math.round(level * 100) + "% CI";
        StringColumn[] c = {StringColumn.create("Finding"), StringColumn.create("Threshold (val)"),
                StringColumn.create("Sens. val"), StringColumn.create("Sens. test"), StringColumn.create("Sens. " + pct),
                StringColumn.create("Spec. test"), StringColumn.create("Spec. " + pct), StringColumn.create("PPV test"),
                StringColumn.create("NPV test"), StringColumn.create("Mean p test"), StringColumn.create("Rate test"),
                StringColumn.create("Prev. val"), StringColumn.create("Note")};
        for (Row r : rows) {
            OperatingPoint v = r.validation().orElse(null);
            OperatingPoint t = r.test().orElse(null);
            String[] cells = {r.finding().label(), v == null ? "n/a" : f3(v.threshold()),
                    v == null ? "n/a" : f3(v.sensitivity()), t == null ? "n/a" : f3(t.sensitivity()),
                    RocReport.fmt(r.sensitivityCi()), t == null ? "n/a" : f3(t.specificity()),
                    RocReport.fmt(r.specificityCi()), t == null ? "n/a" : f3(t.ppv()), t == null ? "n/a" : f3(t.npv()),
                    f3(r.meanPredictedTest()), f3(r.testPrevalence()), f3(r.validationPrevalence()), note(r)};
            for (int i = 0; i < c.length; i++) {
                c[i].append(cells[i]);
            }
        }
        return Table.create("Operating points: thresholds from " + validationImages + " validation films, measured on "
                + testImages + " test films of " + testPatients + " patients (bootstrap " + bootstrap + " x patient, seed "
                + seed + ")", c);
    }

    /**
     * The prevalence warning, written from the numbers: one sentence per finding whose validation and test
     * prevalence differ markedly, or a sentence saying none does.
     */
    public String warnings() {
        String rule = String.format(Locale.ROOT, "by a factor of %s or more and by at least %s percentage points",
                trim(shiftRatio), trim(shiftPoints));
        List<Row> shifted = rows.stream().filter(Row::prevalenceShift).toList();
        if (shifted.isEmpty()) {
            return "No finding's prevalence differs between validation and test " + rule + ".";
        }
        List<String> lines = new ArrayList<>();
        lines.add("Warning: " + shifted.size() + " finding(s) differ in prevalence between validation and test " + rule
                + ". A threshold chosen at one prevalence gives other PPV and NPV at another, and a different case mix"
                + " can move sensitivity and specificity too:");
        for (Row r : shifted) {
            lines.add(String.format(Locale.ROOT, "- %s: %.1f %% of validation films, %.1f %% of test films%s", r.finding().label(),
                    100 * r.validationPrevalence(), 100 * r.testPrevalence(),
                    r.validation().isEmpty() ? " (no threshold: validation labels all one value)" : ""));
        }
        return String.join("\n", lines);
    }

    /** The report as a JSON-ready map (null where undefined), for {@code metrics/operating-points.json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold_chosen_on", "validation");
        m.put("measured_on", "test");
        m.put("validation_images", validationImages);
        m.put("test_images", testImages);
        m.put("test_patients", testPatients);
        m.put("bootstrap", bootstrap);
        m.put("resampling", "patient");
        m.put("seed", seed);
        m.put("level", level);
        m.put("prevalence_shift_ratio", shiftRatio);
        m.put("prevalence_shift_points", shiftPoints);
        Map<String, Object> per = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            OperatingPoint t = r.test().orElse(null);
            f.put("threshold", num(r.threshold()));
            f.put("sensitivity_validation", r.validation().map(o -> num(o.sensitivity())).orElse(null));
            f.put("sensitivity", t == null ? null : num(t.sensitivity()));
            f.put("sensitivity_ci_low", num(r.sensitivityCi().low()));
            f.put("sensitivity_ci_high", num(r.sensitivityCi().high()));
            f.put("specificity", t == null ? null : num(t.specificity()));
            f.put("specificity_ci_low", num(r.specificityCi().low()));
            f.put("specificity_ci_high", num(r.specificityCi().high()));
            f.put("ppv", t == null ? null : num(t.ppv()));
            f.put("npv", t == null ? null : num(t.npv()));
            f.put("mean_predicted_test", num(r.meanPredictedTest()));
            f.put("prevalence_test", num(r.testPrevalence()));
            f.put("prevalence_validation", num(r.validationPrevalence()));
            f.put("prevalence_shift", r.prevalenceShift());
            per.put(r.finding().label(), f);
        }
        m.put("findings", per);
        return m;
    }

    /** Writes {@link #toMap()} as pretty JSON (parent folders created) and returns the file. */
    public Path writeJson(Path file) {
        return org.cxrworkbook.data.AtomicFiles.writeString(file,
                new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(toMap()) + "\n");
    }

    @Override
    public String toString() {
        return table().print();
    }

    private static String note(Row r) {
        if (r.validation().isEmpty()) {
            return "no threshold: validation labels all " + (r.validationPrevalence() == 0 ? "0" : "1");
        }
        if (r.test().map(o -> o.tp() + o.fn() == 0).orElse(false)) {
            return "no test positives";
        }
        return r.prevalenceShift() ? "prevalence shift" : "";
    }

    private static String f3(double v) {
        return RocReport.fmt(v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static Double num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
