package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.model.HeadOrder;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Our per-finding AUC on the course's {@code test.csv} next to the AUC the course publishes for its
 * {@code pretrained_model.h5} on the same 420 films ({@link ChexnetReference#course()}), with the difference;
 * rows in the course's own order. Only a like-for-like comparison when the predictions are for the course's folder.
 */
public final class CourseComparison {

    private CourseComparison() {
    }

    /** The course's published mean AUC (mean of its 14 values, 0.762). */
    public static double courseMean() {
        return ChexnetReference.course().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /**
     * Finding, ours, 95 % CI (patients), course, ours − course, then a mean row. Titled as a real comparison when
     * {@code courseFolder}, else "for reference only".
     */
    public static Table table(RocReport report, boolean courseFolder) {
        StringColumn name = StringColumn.create("Finding");
        StringColumn ours = StringColumn.create("Ours");
        StringColumn ci = StringColumn.create("95% CI (patients)");
        StringColumn course = StringColumn.create("Course");
        StringColumn diff = StringColumn.create("Ours - Course");
        for (Finding f : HeadOrder.COURSE.labels()) {
            FindingRoc r = report.get(f);
            name.append(f.label());
            ours.append(RocReport.fmt(r.auc()));
            ci.append(r.ci().defined() ? RocReport.fmt(r.ci().low()) + "-" + RocReport.fmt(r.ci().high()) : "-");
            course.append(RocReport.fmt(ChexnetReference.course().get(f)));
            diff.append(r.defined() ? signed(r.auc() - ChexnetReference.course().get(f)) : "-");
        }
        name.append("Mean");
        ours.append(RocReport.fmt(report.meanAuc()));
        ci.append(report.meanCi().defined() ? RocReport.fmt(report.meanCi().low()) + "-" + RocReport.fmt(report.meanCi().high()) : "-");
        course.append(RocReport.fmt(courseMean()));
        diff.append(signed(report.meanAuc() - courseMean()));
        String title = courseFolder ? "AUC on the course's test set: ours vs the course's published pretrained_model.h5"
                : "AUC vs the course's published values - for reference only: not the course's folder, not comparable";
        return Table.create(title, name, ours, ci, course, diff);
    }

    /** {@link #table(RocReport, boolean)} for the data the predictions came from. */
    public static Table table(RocReport report, ChestXrayDataset data) {
        return table(report, data.isCourse());
    }

    /** One sentence from the numbers, e.g. "Mean AUC 0.741 vs the course's 0.762 (-0.021); ours higher on 5 of 14 findings." */
    public static String summary(RocReport report) {
        int higher = 0;
        int defined = 0;
        for (FindingRoc r : report.findings()) {
            if (r.defined()) {
                defined++;
                if (r.auc() > ChexnetReference.course().get(r.finding())) {
                    higher++;
                }
            }
        }
        return String.format(java.util.Locale.ROOT, "Mean AUC %.3f vs the course's %.3f (%s); ours higher on %d of %d findings.",
                report.meanAuc(), courseMean(), signed(report.meanAuc() - courseMean()), higher, defined);
    }

    /** Per finding (course order): ours, CI, course, difference — for JSON. */
    public static List<Map<String, Object>> rows(RocReport report) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Finding f : HeadOrder.COURSE.labels()) {
            FindingRoc r = report.get(f);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("finding", f.label());
            m.put("auc", r.defined() ? r.auc() : null);
            m.put("ci_low", r.ci().defined() ? r.ci().low() : null);
            m.put("ci_high", r.ci().defined() ? r.ci().high() : null);
            m.put("course_auc", ChexnetReference.course().get(f));
            m.put("difference", r.defined() ? r.auc() - ChexnetReference.course().get(f) : null);
            rows.add(m);
        }
        return rows;
    }

    private static String signed(double d) {
        return (d >= 0 ? "+" : "") + RocReport.fmt(d);
    }
}
