package org.cxrworkbook.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads and writes the Coursera course's layout ({@code train-small.csv}): {@code Image}, then one 0/1
 * column per finding in alphabetical order with {@code PatientId} slotted in alphabetically among them.
 */
public final class CourseCsv {

    /** Name of the image column. */
    public static final String IMAGE = "Image";
    /** Name of the patient column. */
    public static final String PATIENT = "PatientId";

    private CourseCsv() {
    }

    /** The course's header: Image, then findings and PatientId sorted alphabetically. */
    public static List<String> header() {
        List<String> columns = new ArrayList<>(List.of(IMAGE));
        TreeSet<String> sorted = new TreeSet<>(Finding.labels());
        sorted.add(PATIENT);
        columns.addAll(sorted);
        return columns;
    }

    /** Reads a course CSV (columns located by name, any order); every bad row is reported. */
    public static Parsed<ImageRecord> read(Path csv) {
        String file = csv.getFileName().toString();
        List<ImageRecord> records = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> column = new HashMap<>();
        Map<String, Long> firstRow = new HashMap<>();
        boolean[] header = {false, false};
        int[] width = {0};
        CsvRows.forEach(csv, problems, (line, f) -> {
            if (!header[0]) {
                header[0] = true;
                for (int i = 0; i < f.length; i++) {
                    column.put(f[i], i);
                }
                List<String> missing = header().stream().filter(c -> !column.containsKey(c)).toList();
                List<String> extra = java.util.Arrays.stream(f).filter(c -> !header().contains(c)).toList();
                header[1] = missing.isEmpty();
                if (!header[1]) {
                    problems.add(new Problem(file, line, "wrong header: missing columns " + missing + " (expected "
                            + String.join(",", header()) + ")"));
                }
                if (!extra.isEmpty()) {
                    problems.add(new Problem(file, line, "wrong header: unexpected columns " + extra + " (expected "
                            + String.join(",", header()) + ")"));
                }
                width[0] = f.length;
                return;
            }
            if (!header[1]) {
                return;
            }
            int needed = column.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            if (f.length < needed) {
                problems.add(new Problem(file, line, "row has " + f.length + " fields, expected " + needed));
                return;
            }
            if (CsvRows.usedFields(f) > width[0]) {
                problems.add(new Problem(file, line, "row has " + CsvRows.usedFields(f) + " fields, the header "
                        + width[0]));
                return;
            }
            EnumSet<Finding> findings = EnumSet.noneOf(Finding.class);
            int before = problems.size();
            for (Finding finding : Finding.all()) {
                String v = f[column.get(finding.label())];
                if (v.equals("1") || v.equals("1.0")) {
                    findings.add(finding);
                } else if (!v.equals("0") && !v.equals("0.0")) {
                    problems.add(new Problem(file, line, "bad " + finding.label() + " value '" + v + "': expected 0 or 1"));
                }
            }
            String image = f[column.get(IMAGE)];
            String patient = f[column.get(PATIENT)];
            if (image.isEmpty() || patient.isEmpty()) {
                problems.add(new Problem(file, line, "empty " + (image.isEmpty() ? IMAGE : PATIENT)));
            }
            if (problems.size() > before) {
                return;
            }
            Long first = firstRow.putIfAbsent(image, line);
            if (first != null) {
                problems.add(new Problem(file, line, "duplicate Image " + image + " (first at row " + first + ")"));
                return;
            }
            records.add(ImageRecord.of(image, patient, findings));
            rows.add(line);
        });
        if (!header[0] && problems.isEmpty()) {
            problems.add(new Problem(file, 0, "empty file: no header and no rows"));
        }
        return new Parsed<>(records, rows, problems);
    }

    /** Writes records in the course layout (via a temporary file, so the CSV is never half-written). */
    public static Path write(Path csv, List<ImageRecord> records) {
        List<String> header = header();
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (ImageRecord r : records) {
            List<String> cells = new ArrayList<>(header.size());
            for (String c : header) {
                cells.add(switch (c) {
                    case IMAGE -> r.imageIndex();
                    case PATIENT -> r.patientId();
                    default -> r.has(Finding.fromLabel(c).orElseThrow()) ? "1" : "0";
                });
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return AtomicFiles.writeString(csv, sb.toString());
    }
}
