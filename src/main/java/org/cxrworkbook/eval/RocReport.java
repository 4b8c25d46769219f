package org.cxrworkbook.eval;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of a {@link RocAnalysis}: one {@link FindingRoc} per finding in canonical order, the mean AUC
 * over the findings whose AUC is defined, its bootstrap interval, and the pooled calibration.
 */
public record RocReport(List<FindingRoc> findings, Interval meanCi, int bootstrap, long seed, double level,
                        Resampling resampling, int images, int patients, Calibration pooledCalibration) {

    public RocReport {
        findings = List.copyOf(findings);
    }

    /** The result for one finding. */
    public FindingRoc get(Finding finding) {
        return findings.stream().filter(r -> r.finding() == finding).findFirst().orElseThrow();
    }

    /** Mean AUC over findings with a defined AUC (NaN when none). */
    public double meanAuc() {
        return findings.stream().filter(FindingRoc::defined).mapToDouble(FindingRoc::auc).average().orElse(Double.NaN);
    }

    /** Number of findings with a defined AUC. */
    public int definedCount() {
        return (int) findings.stream().filter(FindingRoc::defined).count();
    }

    /** The AUC table: Finding, positives, negatives, AUC, 95 % CI, replicates used ("n/a" when undefined), plus a mean row. */
    public Table table() {
        StringColumn name = StringColumn.create("Finding");
        IntColumn pos = IntColumn.create("Positives");
        IntColumn neg = IntColumn.create("Negatives");
        StringColumn auc = StringColumn.create("AUC");
        StringColumn ci = StringColumn.create(Math.round(level * 100) + "% CI");
        IntColumn used = IntColumn.create("Replicates used");
        for (FindingRoc r : findings) {
            name.append(r.finding().label());
            pos.append(r.nPos());
            neg.append(r.nNeg());
            auc.append(fmt(r.auc()));
            ci.append(fmt(r.ci()));
            used.append(r.ci().replicatesUsed());
        }
        name.append("Mean (" + definedCount() + " defined)");
        pos.appendMissing();
        neg.appendMissing();
        auc.append(fmt(meanAuc()));
        ci.append(fmt(meanCi));
        used.append(meanCi.replicatesUsed());
        return Table.create("ROC AUC, " + images + " images of " + patients + " patients, bootstrap " + bootstrap
                + " x " + resampling.name().toLowerCase(Locale.ROOT) + ", seed " + seed, name, pos, neg, auc, ci, used);
    }

    /** Youden operating points: threshold, sensitivity, specificity, PPV, NPV per finding ("n/a" when undefined). */
    public Table operatingPoints() {
        StringColumn name = StringColumn.create("Finding");
        StringColumn[] cols = {StringColumn.create("Threshold"), StringColumn.create("Sensitivity"),
                StringColumn.create("Specificity"), StringColumn.create("PPV"), StringColumn.create("NPV"),
                StringColumn.create("Youden J")};
        for (FindingRoc r : findings) {
            name.append(r.finding().label());
            double[] v = r.operatingPoint().map(o -> new double[] {o.threshold(), o.sensitivity(), o.specificity(),
                    o.ppv(), o.npv(), o.youdenJ()}).orElse(new double[] {Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN});
            for (int c = 0; c < cols.length; c++) {
                cols[c].append(fmt(v[c]));
            }
        }
        Table t = Table.create("Operating points (Youden J)", name);
        t.addColumns(cols);
        return t;
    }

    /** Brier score per finding and pooled over all findings. */
    public Table brierScores() {
        StringColumn name = StringColumn.create("Finding");
        StringColumn brier = StringColumn.create("Brier");
        for (FindingRoc r : findings) {
            name.append(r.finding().label());
            brier.append(fmt(r.calibration().brier()));
        }
        name.append("All findings");
        brier.append(fmt(pooledCalibration.brier()));
        return Table.create("Brier score (lower is better)", name, brier);
    }

    /**
     * The metrics as a JSON-ready map: {@code mean_auc}, {@code mean_ci_low}, {@code mean_ci_high}, run
     * facts, and per finding {@code auc}, {@code ci_low}, {@code ci_high}, {@code n_pos}, {@code n_neg}
     * and operating point (null where undefined).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", images);
        m.put("patients", patients);
        m.put("bootstrap", bootstrap);
        m.put("resampling", resampling.name().toLowerCase(Locale.ROOT));
        m.put("seed", seed);
        m.put("level", level);
        m.put("mean_auc", num(meanAuc()));
        m.put("mean_ci_low", num(meanCi.low()));
        m.put("mean_ci_high", num(meanCi.high()));
        m.put("defined_findings", definedCount());
        m.put("brier_all", num(pooledCalibration.brier()));
        Map<String, Object> per = new LinkedHashMap<>();
        for (FindingRoc r : findings) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("auc", num(r.auc()));
            f.put("ci_low", num(r.ci().low()));
            f.put("ci_high", num(r.ci().high()));
            f.put("n_pos", r.nPos());
            f.put("n_neg", r.nNeg());
            f.put("bootstrap_used", r.ci().replicatesUsed());
            OperatingPoint o = r.operatingPoint().orElse(null);
            f.put("threshold", o == null ? null : num(o.threshold()));
            f.put("sensitivity", o == null ? null : num(o.sensitivity()));
            f.put("specificity", o == null ? null : num(o.specificity()));
            f.put("ppv", o == null ? null : num(o.ppv()));
            f.put("npv", o == null ? null : num(o.npv()));
            f.put("brier", num(r.calibration().brier()));
            per.put(r.finding().label(), f);
        }
        m.put("findings", per);
        return m;
    }

    /** {@link #toMap()} as pretty-printed JSON (nulls kept). */
    public String toJson() {
        return new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(toMap());
    }

    /** Writes {@link #toJson()} to a file (parent folders created) and returns it. */
    public Path writeJson(Path file) {
        return org.cxrworkbook.data.AtomicFiles.writeString(file, toJson() + "\n");
    }

    @Override
    public String toString() {
        return table().print();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String fmt(Interval ci) {
        return ci.defined() ? String.format(Locale.ROOT, "%.3f-%.3f", ci.low(), ci.high()) : "n/a";
    }

    private static Double num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
