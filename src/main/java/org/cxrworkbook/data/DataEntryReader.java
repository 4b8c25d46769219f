package org.cxrworkbook.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads NIH's {@code Data_Entry_2017_v2020.csv} (11 fields) or the older {@code Data_Entry_2017.csv}
 * (12th field empty), recognised by their header, collecting every bad row as a {@link Problem}.
 */
public final class DataEntryReader {

    /** The v2020 header split on commas: the bracketed names hold commas, hence 11 fields. */
    public static final List<String> HEADER = List.of("Image Index", "Finding Labels", "Follow-up #", "Patient ID",
            "Patient Age", "Patient Gender", "View Position", "OriginalImage[Width", "Height]",
            "OriginalImagePixelSpacing[x", "y]");

    private static final int FIELDS = HEADER.size();

    private DataEntryReader() {
    }

    /** Reads every row; rows with a problem are reported and left out of the items. */
    public static Parsed<ImageRecord> read(Path csv) {
        return read(csv, name -> { });
    }

    /** As {@link #read(Path)}, also passing the first field of every data row, bad rows included, to {@code imageIndex}. */
    static Parsed<ImageRecord> read(Path csv, java.util.function.Consumer<String> imageIndex) {
        String file = csv.getFileName().toString();
        List<ImageRecord> records = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        Map<String, Long> firstRow = new HashMap<>();
        boolean[] header = {false, false}; // seen, valid
        CsvRows.forEach(csv, problems, (line, fields) -> {
            if (!header[0]) {
                header[0] = true;
                header[1] = checkHeader(file, fields, problems);
                return;
            }
            if (!header[1]) {
                return; // columns unknown: one header problem is reported instead of one per row
            }
            if (fields.length > 0 && !fields[0].isEmpty()) {
                imageIndex.accept(fields[0]);
            }
            ImageRecord r = parseRow(file, line, fields, problems);
            if (r != null) {
                Long first = firstRow.putIfAbsent(r.imageIndex(), line);
                if (first != null) {
                    problems.add(new Problem(file, line, "duplicate Image Index " + r.imageIndex()
                            + " (first at row " + first + ")"));
                } else {
                    records.add(r);
                    rows.add(line);
                }
            }
        });
        if (!header[0] && problems.isEmpty()) {
            problems.add(new Problem(file, 0, "empty file: no header and no rows"));
        } else if (header[1] && records.isEmpty() && firstRow.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(file, 0, "no data rows after the header"));
        }
        return new Parsed<>(records, rows, problems);
    }

    private static boolean checkHeader(String file, String[] fields, List<Problem> problems) {
        int used = CsvRows.usedFields(fields);
        boolean ok = used == FIELDS && fields.length <= FIELDS + 1;
        for (int i = 0; ok && i < FIELDS; i++) {
            ok = HEADER.get(i).equals(fields[i]);
        }
        if (!ok) {
            problems.add(new Problem(file, 1, "wrong header: expected '" + String.join(",", HEADER)
                    + "' (optionally with a trailing comma), found '" + String.join(",", fields) + "'"));
        }
        return ok;
    }

    private static ImageRecord parseRow(String file, long line, String[] f, List<Problem> problems) {
        int used = CsvRows.usedFields(f);
        if (used < FIELDS) {
            problems.add(new Problem(file, line, "row has " + used + " fields, expected " + FIELDS));
            return null;
        }
        if (used > FIELDS) {
            problems.add(new Problem(file, line, "row has " + used + " fields, expected " + FIELDS));
            return null;
        }
        int before = problems.size();
        String image = f[0];
        Set<Finding> findings = parseLabels(file, line, f[1], problems);
        int followUp = integer(file, line, "Follow-up #", f[2], problems);
        String patient = f[3];
        if (patient.isEmpty()) {
            problems.add(new Problem(file, line, "empty Patient ID"));
        }
        int age = integer(file, line, "Patient Age", f[4], problems);
        if (f[4].matches("-?\\d+") && (age < 0 || age > 120)) {
            problems.add(new Problem(file, line, "Patient Age " + age + " outside 0–120 years"));
        }
        var nihName = java.util.regex.Pattern.compile("(\\d{8})_\\d{3}\\.png").matcher(image);
        if (nihName.matches() && !patient.isEmpty()
                && !stripZeros(nihName.group(1)).equals(stripZeros(patient))) {
            problems.add(new Problem(file, line, "Patient ID " + patient + " does not match the patient part "
                    + nihName.group(1) + " of the file name " + image));
        }
        int width = integer(file, line, "OriginalImage Width", f[7], problems);
        int height = integer(file, line, "OriginalImage Height", f[8], problems);
        double sx = real(file, line, "PixelSpacing x", f[9], problems);
        double sy = real(file, line, "PixelSpacing y", f[10], problems);
        if (image.isEmpty()) {
            problems.add(new Problem(file, line, "empty Image Index"));
        }
        if (problems.size() > before) {
            return null;
        }
        return new ImageRecord(image, patient, followUp, findings, age, f[5], f[6], width, height, sx, sy);
    }

    /** Splits a "Finding Labels" cell on '|' with exact matching; "No Finding" must stand alone. */
    static Set<Finding> parseLabels(String file, long line, String cell, List<Problem> problems) {
        if (cell.equals(Finding.NO_FINDING)) {
            return Set.of();
        }
        EnumSet<Finding> set = EnumSet.noneOf(Finding.class);
        for (String label : cell.split("\\|", -1)) {
            if (label.equals(Finding.NO_FINDING)) {
                problems.add(new Problem(file, line, "'No Finding' combined with other labels in '" + cell + "'"));
            } else if ("Infiltrate".equals(label)) {
                problems.add(new Problem(file, line, "unknown finding 'Infiltrate' (Data_Entry spells it Infiltration)"));
            } else {
                Finding.fromLabel(label).ifPresentOrElse(set::add,
                        () -> problems.add(new Problem(file, line, "unknown finding '" + label + "'")));
            }
        }
        return set;
    }

    private static String stripZeros(String digits) {
        String t = digits.replaceFirst("^0+(?=.)", "");
        return t;
    }

    private static int integer(String file, long line, String column, String value, List<Problem> problems) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            problems.add(new Problem(file, line, "bad " + column + " '" + value + "': not an integer"));
            return -1;
        }
    }

    private static double real(String file, long line, String column, String value, List<Problem> problems) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            problems.add(new Problem(file, line, "bad " + column + " '" + value + "': not a number"));
            return Double.NaN;
        }
    }
}
