package org.cxrworkbook.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.Problem;

/**
 * Reads and writes {@code predictions.csv}: {@code Image Index}, {@code Patient ID}, one 0/1 column per
 * finding (canonical names), then {@code p_<Finding>} per finding. Row numbers in errors are file lines
 * (the header is line 1).
 *
 * <p>Hand-written rather than Tablesaw's reader so that every bad cell is reported with its line and
 * column, and all problems of a file are collected into one {@link DataException}; the format has no
 * quoting (names and ids never contain commas).
 */
public final class PredictionsCsv {

    /** Header of the image-name column. */
    public static final String IMAGE_INDEX = "Image Index";
    /** Header of the patient column. */
    public static final String PATIENT_ID = "Patient ID";
    /** Prefix of the probability columns. */
    public static final String PROBABILITY_PREFIX = "p_";

    private PredictionsCsv() {
    }

    /** The header columns in file order. */
    public static List<String> header() {
        List<String> h = new ArrayList<>();
        h.add(IMAGE_INDEX);
        h.add(PATIENT_ID);
        h.addAll(Finding.labels());
        Finding.labels().forEach(l -> h.add(PROBABILITY_PREFIX + l));
        return h;
    }

    /** Writes predictions (probabilities in shortest exact decimal form, so reading back is lossless). */
    public static Path write(Predictions predictions, Path file) {
        StringBuilder sb = new StringBuilder(String.join(",", header())).append('\n');
        for (int i = 0; i < predictions.size(); i++) {
            String image = predictions.imageIndex().get(i);
            String patient = predictions.patientId().get(i);
            if (image.contains(",") || patient.contains(",")) {
                throw new IllegalArgumentException("row " + i + ": image or patient contains a comma: " + image + " / " + patient);
            }
            sb.append(image).append(',').append(patient);
            for (Finding f : Finding.all()) {
                sb.append(',').append(predictions.label(i, f));
            }
            for (Finding f : Finding.all()) {
                sb.append(',').append(predictions.probability(i, f));
            }
            sb.append('\n');
        }
        return org.cxrworkbook.data.AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Reads and validates a predictions file. Throws {@link DataException} listing every problem: empty
     * file or no data rows, missing columns (named), wrong field count, labels other than 0/1,
     * probabilities that are not numbers in [0,1] (NaN included), duplicate images (naming both lines).
     * Extra columns are ignored.
     */
    public static Predictions read(Path file) {
        String name = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(name, 0, "cannot read predictions file: " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new DataException(name, 0, "empty file: expected a header " + IMAGE_INDEX + "," + PATIENT_ID + ",...");
        }
        String[] head = split(lines.get(0).replace("\uFEFF", ""));
        Map<String, Integer> col = new HashMap<>();
        for (int c = 0; c < head.length; c++) {
            col.putIfAbsent(head[c], c);
        }
        List<String> missing = header().stream().filter(h -> !col.containsKey(h)).toList();
        if (!missing.isEmpty()) {
            throw new DataException(name, 1, "missing column(s): " + String.join(", ", missing));
        }
        if (lines.size() == 1) {
            throw new DataException(name, 0, "no predictions: the split is empty (header only)");
        }
        List<Problem> problems = new ArrayList<>();
        List<String> images = new ArrayList<>();
        List<String> patients = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        Map<String, Integer> lineOfImage = new HashMap<>();
        for (int li = 1; li < lines.size(); li++) {
            int line = li + 1;
            String[] f = split(lines.get(li));
            if (f.length != head.length) {
                problems.add(new Problem(name, line, "expected " + head.length + " fields, found " + f.length));
                continue;
            }
            String image = f[col.get(IMAGE_INDEX)];
            String patient = f[col.get(PATIENT_ID)];
            if (image.isEmpty() || patient.isEmpty()) {
                problems.add(new Problem(name, line, "empty " + (image.isEmpty() ? IMAGE_INDEX : PATIENT_ID)));
            }
            Integer first = lineOfImage.putIfAbsent(image, line);
            if (first != null) {
                problems.add(new Problem(name, line, "duplicate image " + image + " (also on line " + first + ")"));
            }
            int[] y = new int[Finding.COUNT];
            double[] p = new double[Finding.COUNT];
            for (Finding fi : Finding.all()) {
                String lv = f[col.get(fi.label())];
                if (lv.equals("0") || lv.equals("1")) {
                    y[fi.ordinal()] = lv.charAt(0) - '0';
                } else {
                    problems.add(new Problem(name, line, "label " + fi.label() + " must be 0 or 1, found '" + lv + "'"));
                }
                String column = PROBABILITY_PREFIX + fi.label();
                String pv = f[col.get(column)];
                double v;
                // plain decimals only: Double.parseDouble would also take 0x1p-2, 0.5f, 5d and " Infinity"
                if (pv.matches("[+]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    v = Double.parseDouble(pv);
                } else {
                    v = Double.NaN;
                }
                if (!(v >= 0 && v <= 1)) {
                    problems.add(new Problem(name, line, column + " must be a probability in [0,1], found '" + pv + "'"));
                }
                p[fi.ordinal()] = v;
            }
            images.add(image);
            patients.add(patient);
            labels.add(y);
            probs.add(p);
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return Predictions.of(images, patients, labels.toArray(int[][]::new), probs.toArray(double[][]::new));
    }

    private static String[] split(String line) {
        String[] f = line.split(",", -1);
        for (int i = 0; i < f.length; i++) {
            String s = f[i].strip();
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                s = s.substring(1, s.length() - 1);
            }
            f[i] = s;
        }
        return f;
    }
}
