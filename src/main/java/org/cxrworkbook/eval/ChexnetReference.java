package org.cxrworkbook.eval;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Published AUROCs to compare against: CheXNet (Rajpurkar et al. 2017, DenseNet121 on the official
 * ChestX-ray14 split; mean 0.841) and the Coursera course's pretrained model on its 420-image test set.
 * Only comparable when our predictions come from real NIH images.
 */
public final class ChexnetReference {

    /** CheXNet's mean AUROC as published. */
    public static final double CHEXNET_MEAN = 0.841;

    private static final Map<Finding, Double> CHEXNET = table(new double[] {
        0.8094, 0.9248, 0.7901, 0.8878, 0.8638, 0.9371, 0.8047, 0.9164, 0.7345, 0.8676, 0.7802, 0.8062, 0.7680, 0.8887});

    private static final Map<Finding, Double> COURSE = table(new double[] {
        0.786, 0.896, 0.752, 0.856, 0.763, 0.796, 0.728, 0.773, 0.651, 0.819, 0.656, 0.712, 0.678, 0.803});

    private ChexnetReference() {
    }

    /** CheXNet's per-finding AUROC. */
    public static Map<Finding, Double> chexnet() {
        return CHEXNET;
    }

    /** The course's published per-finding AUC (pretrained model, 420 test images). */
    public static Map<Finding, Double> course() {
        return COURSE;
    }

    /**
     * Side-by-side table: ours, CheXNet, course, ours − CheXNet, with a mean row. When {@code realNih} is
     * false (e.g. phantom data) the table is titled "for reference only": the numbers are not comparable.
     */
    public static Table comparison(RocReport report, boolean realNih) {
        StringColumn name = StringColumn.create("Finding");
        StringColumn ours = StringColumn.create("Ours");
        StringColumn chex = StringColumn.create("CheXNet");
        StringColumn course = StringColumn.create("Course");
        StringColumn diff = StringColumn.create("Ours - CheXNet");
        for (FindingRoc r : report.findings()) {
            name.append(r.finding().label());
            ours.append(RocReport.fmt(r.auc()));
            chex.append(RocReport.fmt(CHEXNET.get(r.finding())));
            course.append(RocReport.fmt(COURSE.get(r.finding())));
            diff.append(RocReport.fmt(r.auc() - CHEXNET.get(r.finding())));
        }
        name.append("Mean");
        ours.append(RocReport.fmt(report.meanAuc()));
        chex.append(RocReport.fmt(CHEXNET_MEAN));
        course.append(RocReport.fmt(COURSE.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        diff.append(RocReport.fmt(report.meanAuc() - CHEXNET_MEAN));
        String title = realNih ? "AUROC vs CheXNet and the course (NIH ChestX-ray14)"
                : "AUROC vs CheXNet and the course - for reference only: not NIH data, not comparable";
        return Table.create(title, name, ours, chex, course, diff);
    }

    private static Map<Finding, Double> table(double[] canonicalOrder) {
        Map<Finding, Double> m = new EnumMap<>(Finding.class);
        for (Finding f : Finding.all()) {
            m.put(f, canonicalOrder[f.ordinal()]);
        }
        return Collections.unmodifiableMap(m);
    }
}
