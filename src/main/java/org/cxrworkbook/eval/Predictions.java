package org.cxrworkbook.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.Decimals;
import org.cxrworkbook.data.Finding;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A model's predictions on a split: per image its index, patient, the 14 true labels (0/1) and the
 * 14 predicted probabilities, in canonical {@link Finding} order. Immutable.
 */
public final class Predictions {

    private final List<String> imageIndex;
    private final List<String> patientId;
    private final int[][] labels;
    private final double[][] probabilities;

    private Predictions(List<String> imageIndex, List<String> patientId, int[][] labels, double[][] probabilities) {
        this.imageIndex = List.copyOf(imageIndex);
        this.patientId = List.copyOf(patientId);
        this.labels = labels;
        this.probabilities = probabilities;
    }

    /**
     * Builds predictions from parallel rows; {@code labels[i]} and {@code probabilities[i]} have
     * {@link Finding#COUNT} entries. Checks shapes, 0/1 labels, probabilities in [0,1] and unique images.
     */
    public static Predictions of(List<String> imageIndex, List<String> patientId, int[][] labels,
                                 double[][] probabilities) {
        int n = imageIndex.size();
        if (patientId.size() != n || labels.length != n || probabilities.length != n) {
            throw new IllegalArgumentException("row counts differ: images " + n + ", patients " + patientId.size()
                    + ", label rows " + labels.length + ", probability rows " + probabilities.length);
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        int[][] y = new int[n][];
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            if (labels[i].length != Finding.COUNT || probabilities[i].length != Finding.COUNT) {
                throw new IllegalArgumentException("row " + i + ": expected " + Finding.COUNT + " labels and probabilities");
            }
            Integer earlier = seen.putIfAbsent(imageIndex.get(i), i);
            if (earlier != null) {
                throw new IllegalArgumentException("image " + imageIndex.get(i) + " appears in rows " + earlier + " and " + i);
            }
            for (int k = 0; k < Finding.COUNT; k++) {
                if (labels[i][k] != 0 && labels[i][k] != 1) {
                    throw new IllegalArgumentException("row " + i + ": label " + Finding.all().get(k) + " is " + labels[i][k]);
                }
                double v = probabilities[i][k];
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("row " + i + ": probability " + Finding.all().get(k) + " is " + v);
                }
            }
            y[i] = labels[i].clone();
            p[i] = probabilities[i].clone();
        }
        return new Predictions(imageIndex, patientId, y, p);
    }

    /** Reads and validates a predictions CSV; see {@link PredictionsCsv#read(Path)}. */
    public static Predictions read(Path file) {
        return PredictionsCsv.read(file);
    }

    /** Writes this as a predictions CSV and returns the path; see {@link PredictionsCsv#write}. */
    public Path write(Path file) {
        return PredictionsCsv.write(this, file);
    }

    /** Number of images. */
    public int size() {
        return imageIndex.size();
    }

    /** Image names in row order. */
    public List<String> imageIndex() {
        return imageIndex;
    }

    /** Patient ids in row order. */
    public List<String> patientId() {
        return patientId;
    }

    /** The 0/1 labels of one finding, one per image. */
    public int[] labels(Finding finding) {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i][finding.ordinal()];
        }
        return out;
    }

    /** The predicted probabilities of one finding, one per image. */
    public double[] probabilities(Finding finding) {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = probabilities[i][finding.ordinal()];
        }
        return out;
    }

    /** Label of image {@code row} for {@code finding}. */
    public int label(int row, Finding finding) {
        return labels[row][finding.ordinal()];
    }

    /** Probability of image {@code row} for {@code finding}. */
    public double probability(int row, Finding finding) {
        return probabilities[row][finding.ordinal()];
    }

    /** Row indices grouped by patient, patients in order of first appearance. */
    public List<int[]> rowsByPatient() {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            groups.computeIfAbsent(patientId.get(i), k -> new ArrayList<>()).add(i);
        }
        return groups.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** One row per image: Image Index, Patient ID, 14 label columns, 14 {@code p_} columns. */
    public Table table() {
        Table t = Table.create("predictions",
                StringColumn.create(PredictionsCsv.IMAGE_INDEX, imageIndex),
                StringColumn.create(PredictionsCsv.PATIENT_ID, patientId));
        for (Finding f : Finding.all()) {
            t.addColumns(IntColumn.create(f.label(), labels(f)));
        }
        for (Finding f : Finding.all()) {
            t.addColumns(DoubleColumn.create(PredictionsCsv.PROBABILITY_PREFIX + f.label(), probabilities(f)));
        }
        return Decimals.table(t, 3);
    }

    @Override
    public String toString() {
        return "Predictions[" + size() + " images, " + rowsByPatient().size() + " patients, positives "
                + Arrays.toString(Finding.all().stream().mapToInt(f -> Arrays.stream(labels(f)).sum()).toArray()) + "]";
    }
}
