package org.cxrworkbook.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks every pair of splits for shared patients; a patient in two splits leaks between training and evaluation. */
public final class OverlapCheck {

    private OverlapCheck() {
    }

    /** One {@link Overlap} per pair of splits (in map order) that share at least one patient; empty when disjoint. */
    public static List<Overlap> check(Map<String, List<ImageRecord>> splits) {
        List<String> names = new ArrayList<>(splits.keySet());
        List<Overlap> result = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                check(names.get(i), splits.get(names.get(i)), names.get(j), splits.get(names.get(j)))
                        .ifPresent(result::add);
            }
        }
        return result;
    }

    /**
     * One sentence on the overlaps, e.g. "No patient is in two splits." or "Patients shared between splits:
     * train/valid: 3 patients (12, 40, 77), 9 images."
     */
    public static String summary(List<Overlap> overlaps) {
        if (overlaps.isEmpty()) {
            return "No patient is in two splits.";
        }
        return "Patients shared between splits: " + String.join("; ", overlaps.stream().map(Overlap::toString).toList()) + ".";
    }

    /** The overlaps as a table: split pair, number of shared patients and images, the first few patient ids. */
    public static tech.tablesaw.api.Table table(List<Overlap> overlaps) {
        return tech.tablesaw.api.Table.create("patient overlap",
                tech.tablesaw.api.StringColumn.create("splits", overlaps.stream().map(o -> o.splitA() + " / " + o.splitB()).toList()),
                tech.tablesaw.api.IntColumn.create("patients", overlaps.stream().mapToInt(o -> o.patientIds().size()).toArray()),
                tech.tablesaw.api.IntColumn.create("images", overlaps.stream().mapToInt(o -> o.imageNames().size()).toArray()),
                tech.tablesaw.api.StringColumn.create("patient ids", overlaps.stream().map(o -> String.join(", ",
                        o.patientIds().subList(0, Math.min(8, o.patientIds().size())))
                        + (o.patientIds().size() > 8 ? ", ..." : "")).toList()));
    }

    /** The overlap of two named splits, if they share a patient. */
    public static java.util.Optional<Overlap> check(String nameA, List<ImageRecord> a, String nameB, List<ImageRecord> b) {
        Set<String> pa = a.stream().map(ImageRecord::patientId).collect(Collectors.toSet());
        Set<String> shared = new TreeSet<>(Comparator.comparing((String s) -> s.length()).thenComparing(s -> s));
        for (ImageRecord r : b) {
            if (pa.contains(r.patientId())) {
                shared.add(r.patientId());
            }
        }
        if (shared.isEmpty()) {
            return java.util.Optional.empty();
        }
        Set<String> images = new LinkedHashSet<>();
        for (ImageRecord r : a) {
            if (shared.contains(r.patientId())) {
                images.add(r.imageIndex());
            }
        }
        for (ImageRecord r : b) {
            if (shared.contains(r.patientId())) {
                images.add(r.imageIndex());
            }
        }
        return java.util.Optional.of(new Overlap(nameA, nameB, List.copyOf(shared), List.copyOf(images)));
    }
}
