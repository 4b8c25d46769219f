package org.cxrworkbook.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;

/**
 * The order of a 14-way head's outputs in a Keras weights file, so that the importer can bring the Dense kernel's
 * columns and the bias into the workbook's canonical (alphabetical, {@link Finding}) order. Presets: {@code course}
 * (the Coursera course's {@code labels} list, the order of {@code pretrained_model.h5}) and {@code alphabetical}
 * (the workbook's own order, which {@link KerasWeights#save} writes); or a text file listing the 14 names, one per
 * line or comma-separated.
 */
public record HeadOrder(String name, List<Finding> labels) {

    /** The workbook's canonical order: alphabetical. */
    public static final HeadOrder ALPHABETICAL = new HeadOrder("alphabetical", Finding.all());

    /** The course's {@code labels} list, in which {@code pretrained_model.h5} emits its 14 outputs. */
    public static final HeadOrder COURSE = new HeadOrder("course", List.of(Finding.CARDIOMEGALY, Finding.EMPHYSEMA,
            Finding.EFFUSION, Finding.HERNIA, Finding.INFILTRATION, Finding.MASS, Finding.NODULE, Finding.ATELECTASIS,
            Finding.PNEUMOTHORAX, Finding.PLEURAL_THICKENING, Finding.PNEUMONIA, Finding.FIBROSIS, Finding.EDEMA,
            Finding.CONSOLIDATION));

    /** File names of the course's full saved model, whose head is in the {@link #COURSE} order. */
    public static final Set<String> COURSE_MODEL_FILES = Set.of("pretrained_model.h5");

    public HeadOrder {
        labels = List.copyOf(labels);
        if (labels.size() != Finding.COUNT || Set.copyOf(labels).size() != Finding.COUNT) {
            throw new IllegalArgumentException("a head order lists each of the " + Finding.COUNT + " findings once: " + labels);
        }
    }

    /** {@code course}, {@code alphabetical}, or the path of a file listing the 14 names; bad lists are refused with the list. */
    public static HeadOrder parse(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("course")) {
            return COURSE;
        }
        if (s.equalsIgnoreCase("alphabetical") || s.equalsIgnoreCase("canonical")) {
            return ALPHABETICAL;
        }
        Path file = Path.of(s);
        if (!Files.isRegularFile(file)) {
            throw new DataException(s, 0, "head order must be course, alphabetical or a file listing the "
                    + Finding.COUNT + " findings, and no such file exists");
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                for (String part : line.split(",")) {
                    if (!part.isBlank()) {
                        names.add(part.trim());
                    }
                }
            }
            return of(file.getFileName().toString(), names, s);
        } catch (IOException e) {
            throw new DataException(s, 0, "cannot read head order file: " + e.getMessage(), e);
        }
    }

    /** A head order from 14 finding names; unknown, repeated or missing names are refused with the whole list. */
    public static HeadOrder of(String name, List<String> names, String source) {
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        List<Finding> findings = new ArrayList<>();
        for (String n : names) {
            Optional<Finding> f = Finding.fromLabel(n);
            if (f.isEmpty()) {
                unknown.add(n);
            } else if (!seen.add(n)) {
                repeated.add(n);
            } else {
                findings.add(f.get());
            }
        }
        List<String> faults = new ArrayList<>();
        if (!unknown.isEmpty()) {
            faults.add("unknown " + unknown);
        }
        if (!repeated.isEmpty()) {
            faults.add("repeated " + repeated);
        }
        if (unknown.isEmpty() && repeated.isEmpty() && names.size() != Finding.COUNT) {
            List<String> missing = Finding.labels().stream().filter(l -> !seen.contains(l)).toList();
            faults.add(names.size() + " names instead of " + Finding.COUNT + (missing.isEmpty() ? "" : ", missing " + missing));
        }
        if (!faults.isEmpty()) {
            throw new DataException(source, 0, "head order refused: " + String.join("; ", faults) + ". The list: "
                    + names + ". Allowed names: " + Finding.labels());
        }
        return new HeadOrder(name, findings);
    }

    /** The order assumed for a file when none is given: {@link #COURSE} for {@code pretrained_model.h5}, else alphabetical. */
    public static HeadOrder assumedFor(Path h5) {
        return COURSE_MODEL_FILES.contains(h5.getFileName().toString()) ? COURSE : ALPHABETICAL;
    }

    /** For each canonical finding (alphabetical index j), the file's output column holding it. */
    public int[] sourceColumns() {
        int[] columns = new int[Finding.COUNT];
        for (Finding f : Finding.all()) {
            columns[f.ordinal()] = labels.indexOf(f);
        }
        return columns;
    }

    /** True when the file's order already is the canonical one (nothing to reorder). */
    public boolean isCanonical() {
        return labels.equals(Finding.all());
    }

    @Override
    public String toString() {
        return name + " " + labels.stream().map(Finding::label).toList();
    }
}
