package org.cxrworkbook.data;

import java.util.List;

/** Patients found in two splits that should be disjoint, with the images of those patients in either split. */
public record Overlap(String splitA, String splitB, List<String> patientIds, List<String> imageNames) {

    public Overlap {
        patientIds = List.copyOf(patientIds);
        imageNames = List.copyOf(imageNames);
    }

    /** e.g. "train/test: 3 patients (12, 40, 77), 9 images". */
    @Override
    public String toString() {
        List<String> shown = patientIds.subList(0, Math.min(10, patientIds.size()));
        return splitA + "/" + splitB + ": " + patientIds.size() + " patients (" + String.join(", ", shown)
                + (patientIds.size() > shown.size() ? ", ..." : "") + "), " + imageNames.size() + " images";
    }
}
