package org.cxrworkbook.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The 14 ChestX-ray14 findings in canonical (alphabetical, NIH-spelled) order; index = label column. */
public enum Finding {
    ATELECTASIS("Atelectasis"),
    CARDIOMEGALY("Cardiomegaly"),
    CONSOLIDATION("Consolidation"),
    EDEMA("Edema"),
    EFFUSION("Effusion"),
    EMPHYSEMA("Emphysema"),
    FIBROSIS("Fibrosis"),
    HERNIA("Hernia"),
    INFILTRATION("Infiltration"),
    MASS("Mass"),
    NODULE("Nodule"),
    PLEURAL_THICKENING("Pleural_Thickening"),
    PNEUMONIA("Pneumonia"),
    PNEUMOTHORAX("Pneumothorax");

    /** The label NIH writes for an image without any of the 14 findings. */
    public static final String NO_FINDING = "No Finding";

    /** Number of findings (width of a label vector). */
    public static final int COUNT = values().length;

    private static final List<Finding> ALL = List.of(values());

    private final String label;

    Finding(String label) {
        this.label = label;
    }

    /** The exact spelling used in NIH's Data_Entry CSV. */
    public String label() {
        return label;
    }

    /** All findings in canonical order. */
    public static List<Finding> all() {
        return ALL;
    }

    /** Exact (case-sensitive) lookup of an NIH label; the BBox list's {@code Infiltrate} is accepted as Infiltration. */
    public static Optional<Finding> fromLabel(String label) {
        if ("Infiltrate".equals(label)) {
            return Optional.of(INFILTRATION);
        }
        for (Finding f : ALL) {
            if (f.label.equals(label)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Labels of all findings in canonical order, e.g. for table headers. */
    public static List<String> labels() {
        return ALL.stream().map(Finding::label).toList();
    }

    @Override
    public String toString() {
        return label;
    }

    /** Lower-case identifier without underscores, handy for file names. */
    public String slug() {
        return label.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
