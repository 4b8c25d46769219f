package org.cxrworkbook.data;

import java.util.EnumSet;
import java.util.Set;

/**
 * One row of NIH's Data_Entry CSV: an image, its patient and its findings (empty set = "No Finding").
 *
 * <p>Metadata that the older course layout lacks is -1 / empty string.
 */
public record ImageRecord(String imageIndex, String patientId, int followUp, Set<Finding> findings,
                          int patientAge, String patientGender, String viewPosition,
                          int originalWidth, int originalHeight, double pixelSpacingX, double pixelSpacingY) {

    public ImageRecord {
        findings = findings.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(findings));
    }

    /** A record with only the fields the course's CSV layout carries. */
    public static ImageRecord of(String imageIndex, String patientId, Set<Finding> findings) {
        return new ImageRecord(imageIndex, patientId, -1, findings, -1, "", "", -1, -1, Double.NaN, Double.NaN);
    }

    /** True when the image carries none of the 14 findings. */
    public boolean noFinding() {
        return findings.isEmpty();
    }

    /** True when the image carries the given finding. */
    public boolean has(Finding finding) {
        return findings.contains(finding);
    }

    /** Multi-hot label vector in canonical finding order. */
    public float[] multiHot() {
        float[] y = new float[Finding.COUNT];
        for (Finding f : findings) {
            y[f.ordinal()] = 1f;
        }
        return y;
    }

    /** The NIH "Finding Labels" cell: findings joined by '|' in canonical order, or "No Finding". */
    public String findingLabels() {
        if (findings.isEmpty()) {
            return Finding.NO_FINDING;
        }
        return String.join("|", EnumSet.copyOf(findings).stream().map(Finding::label).toList());
    }
}
