package org.cxrworkbook.train;

import java.util.Arrays;
import java.util.List;
import org.cxrworkbook.data.Decimals;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Positive and negative frequency of each class in a multi-hot label matrix (the course's
 * {@code compute_class_freqs}): positive = column mean, negative = 1 − positive.
 *
 * <p>The weighted loss uses w_pos = negative, w_neg = positive, which makes the total positive and
 * negative contributions equal per class. A class without positives gets w_pos = 1, w_neg = 0 (its
 * negatives then contribute nothing): defined, never NaN.
 */
public record ClassFrequencies(double[] positive, double[] negative) {

    /** Frequencies of a label matrix {@code [examples, classes]} of 0/1 values. */
    public static ClassFrequencies compute(double[][] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("class frequencies of an empty label matrix are undefined (0 examples)");
        }
        int k = labels[0].length;
        double[] pos = new double[k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i].length != k) {
                throw new IllegalArgumentException("label row " + i + " has " + labels[i].length + " columns, expected " + k);
            }
            for (int j = 0; j < k; j++) {
                double v = labels[i][j];
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException("label [" + i + "][" + j + "] = " + v + " is not 0 or 1");
                }
                pos[j] += v;
            }
        }
        double[] neg = new double[k];
        for (int j = 0; j < k; j++) {
            pos[j] /= labels.length;
            neg[j] = 1 - pos[j];
        }
        return new ClassFrequencies(pos, neg);
    }

    /** Frequencies of a label INDArray {@code [examples, classes]}. */
    public static ClassFrequencies compute(INDArray labels) {
        if (labels.rank() != 2) {
            throw new IllegalArgumentException("labels must be a matrix [examples, classes], got shape " + Arrays.toString(labels.shape()));
        }
        return compute(labels.toDoubleMatrix());
    }

    /** Frequencies of the 14 findings over image records (multi-hot in {@link Finding} order). */
    public static ClassFrequencies of(List<ImageRecord> records) {
        return compute(labelMatrix(records));
    }

    /** The multi-hot label matrix {@code [records, 14]} of the records. */
    public static double[][] labelMatrix(List<ImageRecord> records) {
        double[][] y = new double[records.size()][];
        for (int i = 0; i < y.length; i++) {
            float[] m = records.get(i).multiHot();
            y[i] = new double[m.length];
            for (int j = 0; j < m.length; j++) {
                y[i][j] = m[j];
            }
        }
        return y;
    }

    /** One row per class: name, positive and negative frequency, weights, weighted contributions. */
    public Table table() {
        List<String> names = classes() == Finding.COUNT ? Finding.labels()
                : java.util.stream.IntStream.range(0, classes()).mapToObj(i -> "class " + i).toList();
        return Decimals.table(Table.create("class frequencies",
                StringColumn.create("class", names),
                DoubleColumn.create("positive", positive),
                DoubleColumn.create("negative", negative),
                DoubleColumn.create("w_pos", positiveWeights()),
                DoubleColumn.create("w_neg", negativeWeights()),
                DoubleColumn.create("pos contribution", positiveContribution(true)),
                DoubleColumn.create("neg contribution", negativeContribution(true))), 3);
    }

    /** Number of classes. */
    public int classes() {
        return positive.length;
    }

    /** w_pos = negative frequency. */
    public double[] positiveWeights() {
        return negative.clone();
    }

    /** w_neg = positive frequency. */
    public double[] negativeWeights() {
        return positive.clone();
    }

    /** Contribution of positives to the loss per class: freq_pos (× w_pos if weighted). */
    public double[] positiveContribution(boolean weighted) {
        double[] c = positive.clone();
        for (int j = 0; j < c.length; j++) {
            c[j] *= weighted ? negative[j] : 1;
        }
        return c;
    }

    /** Contribution of negatives to the loss per class: freq_neg (× w_neg if weighted). */
    public double[] negativeContribution(boolean weighted) {
        double[] c = negative.clone();
        for (int j = 0; j < c.length; j++) {
            c[j] *= weighted ? positive[j] : 1;
        }
        return c;
    }

    /** The weighted loss with these frequencies and ε = 1e-7. */
    public WeightedBinaryCrossEntropy loss() {
        return new WeightedBinaryCrossEntropy(positiveWeights(), negativeWeights(), WeightedBinaryCrossEntropy.DEFAULT_EPSILON);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassFrequencies c && Arrays.equals(positive, c.positive) && Arrays.equals(negative, c.negative);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(positive) + Arrays.hashCode(negative);
    }

    @Override
    public String toString() {
        return "ClassFrequencies[positive=" + Decimals.sig(positive, 4) + ", negative=" + Decimals.sig(negative, 4) + "]";
    }
}
