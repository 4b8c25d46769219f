package org.cxrworkbook.data.phantom;

import java.util.EnumMap;
import java.util.Map;
import org.cxrworkbook.data.Finding;

/** NIH ChestX-ray14 v2020 label counts (112,120 images) and the phantom's target prevalences derived from them. */
public final class NihPrevalence {

    /** Number of images in the NIH v2020 release. */
    public static final int NIH_IMAGES = 112_120;
    /** Images labelled "No Finding" in v2020. */
    public static final int NIH_NO_FINDING = 60_361;

    private static final Map<Finding, Integer> COUNTS = new EnumMap<>(Map.ofEntries(
            Map.entry(Finding.INFILTRATION, 19_894), Map.entry(Finding.EFFUSION, 13_317),
            Map.entry(Finding.ATELECTASIS, 11_559), Map.entry(Finding.NODULE, 6_331),
            Map.entry(Finding.MASS, 5_782), Map.entry(Finding.PNEUMOTHORAX, 5_302),
            Map.entry(Finding.CONSOLIDATION, 4_667), Map.entry(Finding.PLEURAL_THICKENING, 3_385),
            Map.entry(Finding.CARDIOMEGALY, 2_776), Map.entry(Finding.EMPHYSEMA, 2_516),
            Map.entry(Finding.EDEMA, 2_303), Map.entry(Finding.FIBROSIS, 1_686),
            Map.entry(Finding.PNEUMONIA, 1_431), Map.entry(Finding.HERNIA, 227)));

    private NihPrevalence() {
    }

    /** NIH v2020 image count of a finding. */
    public static int nihCount(Finding f) {
        return COUNTS.get(f);
    }

    /** NIH v2020 prevalence (fraction of images) of a finding. */
    public static double nih(Finding f) {
        return COUNTS.get(f) / (double) NIH_IMAGES;
    }

    /** Fraction of NIH images with no finding (0.538). */
    public static double nihNoFinding() {
        return NIH_NO_FINDING / (double) NIH_IMAGES;
    }

    /** Target prevalence per finding: NIH's, times the site's factor, raised to at least {@code floor}. */
    public static Map<Finding, Double> targets(Site site, double floor) {
        Map<Finding, Double> t = new EnumMap<>(Finding.class);
        for (Finding f : Finding.values()) {
            t.put(f, Math.max(floor, nih(f) * site.prevalenceFactor(f)));
        }
        return t;
    }

    /** Target fraction of images with no finding at a site (site B has 20 % fewer normal films than NIH). */
    public static double noFindingTarget(Site site) {
        return site == Site.A ? nihNoFinding() : nihNoFinding() * 0.8;
    }
}
