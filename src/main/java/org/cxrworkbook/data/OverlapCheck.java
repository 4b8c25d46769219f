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
