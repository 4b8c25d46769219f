package org.cxrworkbook.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.OverlapCheck;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.explain.GradCamTerms;
import org.cxrworkbook.train.ClassFrequencies;
import org.cxrworkbook.train.WeightedBinaryCrossEntropy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The workbook's "your turn" exercises, in the course's style: the student completes a small function in a
 * notebook cell, and a check here runs it on the course's test cases (and on the notebook's own data against
 * the library implementation), then says right, wrong or not yet solved, showing expected and actual values.
 *
 * <p>An exercise handed out unsolved throws {@link #notYetSolved()}; its check then says so and the notebook
 * carries on with the library implementation. With system property {@code EXERCISES=strict} (environment
 * {@code CXR_EXERCISES=strict}, as {@code ./cxr test} runs the notebooks with the solutions filled in) a check
 * that is not right throws {@link ExerciseFailed}, so a wrong solution fails the run.
 */
public final class Exercises {

    /** System property (from {@code CXR_EXERCISES}) whose value {@code strict} makes checks throw unless right. */
    public static final String MODE_PROPERTY = "EXERCISES";

    private static final double TOLERANCE = 1e-6;

    private Exercises() {
    }

    /** What the placeholder of an unsolved exercise throws: {@code throw Exercises.notYetSolved();}. */
    public static NotYetSolved notYetSolved() {
        return new NotYetSolved();
    }

    /** Thrown by an exercise cell that still holds its placeholder. */
    public static final class NotYetSolved extends RuntimeException {
        NotYetSolved() {
            super("not yet solved", null, false, false);
        }
    }

    /** Thrown by a check in strict mode when the answer is not right; its message is the verdict. */
    public static final class ExerciseFailed extends RuntimeException {
        ExerciseFailed(String message) {
            super(message);
        }
    }

    /** Outcome of a check. */
    public enum Status { RIGHT, WRONG, NOT_YET_SOLVED }

    /** A check's outcome with one line per test case (expected against actual). */
    public record Verdict(String exercise, Status status, List<String> lines) {

        public Verdict {
            lines = List.copyOf(lines);
        }

        /** True when every case matched. */
        public boolean right() {
            return status == Status.RIGHT;
        }

        @Override
        public String toString() {
            String head = switch (status) {
                case RIGHT -> "RIGHT: " + exercise + " gives the expected values.";
                case WRONG -> "WRONG: " + exercise + " does not give the expected values; compare below and try again.";
                case NOT_YET_SOLVED -> "NOT YET SOLVED: complete " + exercise
                        + " in the cell above and run it again (the notebook carries on with the library's version).";
            };
            return head + "\n" + String.join("\n", lines);
        }
    }

    /** The student's {@code check_for_leakage}: true when some patient id occurs in both lists. */
    @FunctionalInterface
    public interface LeakageCheck {
        /** Whether the two lists share a patient. */
        boolean leaks(List<String> patientsA, List<String> patientsB);
    }

    /** The student's {@code compute_class_freqs}: positive and negative frequency per class of a 0/1 label matrix. */
    @FunctionalInterface
    public interface ClassFreqs {
        /** Frequencies of {@code labels[example][class]}. */
        Frequencies compute(double[][] labels);
    }

    /** Positive and negative frequency per class, the student's answer to {@link ClassFreqs}. */
    public record Frequencies(double[] positive, double[] negative) {
    }

    /** The student's {@code get_weighted_loss}: L = Σ_class mean_batch −(w_pos·y·log(p+ε) + w_neg·(1−y)·log(1−p+ε)). */
    @FunctionalInterface
    public interface WeightedLoss {
        /** The loss of predictions {@code p} for labels {@code y}, both [example][class]. */
        double loss(double[][] y, double[][] p, double[] posWeights, double[] negWeights, double epsilon);
    }

    /** The student's Grad-CAM channel weights: one weight per channel from the gradient {@code [channel][row][column]}. */
    @FunctionalInterface
    public interface ChannelWeights {
        /** Weights of the channels of {@code gradient[channel][row][column]}. */
        double[] weights(double[][][] gradient);
    }

    // ---------------------------------------------------------------------------------------------- leakage

    /** Checks {@code check_for_leakage} on the course's two cases and on edge cases (repeated ids, an empty list). */
    public static Verdict checkForLeakage(LeakageCheck student) {
        return checkForLeakage(student, new SplitSet[0]);
    }

    /**
     * The same, plus the training and test lists of each given split (e.g. the notebook's leaky and patient-wise
     * splits), whose expected answer comes from the library's {@link OverlapCheck}.
     */
    public static Verdict checkForLeakage(LeakageCheck student, SplitSet... splits) {
        List<Case<Boolean>> cases = new ArrayList<>();
        cases.add(new Case<>("course: [0, 1, 2] vs [2, 3, 4]", true, () -> student.leaks(ids(0, 1, 2), ids(2, 3, 4))));
        cases.add(new Case<>("course: [0, 1, 2] vs [3, 4, 5]", false, () -> student.leaks(ids(0, 1, 2), ids(3, 4, 5))));
        cases.add(new Case<>("repeated ids: [7, 7, 8] vs [9, 9]", false, () -> student.leaks(ids(7, 7, 8), ids(9, 9))));
        cases.add(new Case<>("empty: [] vs [1]", false, () -> student.leaks(List.of(), ids(1))));
        for (SplitSet split : splits) {
            boolean expected = OverlapCheck.check("train", split.train(), "test", split.test()).isPresent();
            List<String> a = split.train().stream().map(ImageRecord::patientId).toList();
            List<String> b = split.test().stream().map(ImageRecord::patientId).toList();
            cases.add(new Case<>(String.format(Locale.ROOT, "patients of %d training vs %d test films of this notebook",
                    a.size(), b.size()), expected, () -> student.leaks(new ArrayList<>(a), new ArrayList<>(b))));
        }
        return enforce(run("check_for_leakage", cases, Object::toString, Boolean::equals));
    }

    // -------------------------------------------------------------------------------------- class frequencies

    /** The course's label matrix for {@code compute_class_freqs}. */
    public static double[][] courseLabels() {
        return new double[][] {{1, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}, {1, 0, 1}};
    }

    /** Checks {@code compute_class_freqs} on the course's case (pos [0.8, 0.4, 0.8], neg [0.2, 0.6, 0.2]). */
    public static Verdict checkClassFreqs(ClassFreqs student) {
        return checkClassFreqs(student, null);
    }

    /** The same, plus the notebook's own training labels against the library's {@link ClassFrequencies}. */
    public static Verdict checkClassFreqs(ClassFreqs student, double[][] trainingLabels) {
        List<Case<double[][]>> cases = new ArrayList<>();
        cases.add(new Case<>("course: 5 films x 3 classes", new double[][] {{0.8, 0.4, 0.8}, {0.2, 0.6, 0.2}},
                () -> both(student.compute(copy(courseLabels())))));
        if (trainingLabels != null) {
            ClassFrequencies lib = ClassFrequencies.compute(trainingLabels);
            cases.add(new Case<>(trainingLabels.length + " training films x " + lib.classes() + " findings",
                    new double[][] {lib.positive(), lib.negative()}, () -> both(student.compute(copy(trainingLabels)))));
        }
        return enforce(run("compute_class_freqs", cases,
                v -> "pos " + fmt(v[0]) + ", neg " + fmt(v[1]), Exercises::close));
    }

    // ------------------------------------------------------------------------------------------ weighted loss

    /**
     * Checks {@code get_weighted_loss} on the course's case (ε = 1, p ≡ 0.7 and p ≡ 0.3 both give −0.4956203) and on
     * seeded random predictions with ε = 1e-7 against the library's {@link WeightedBinaryCrossEntropy}.
     */
    public static Verdict checkWeightedLoss(WeightedLoss student) {
        double[][] y = {{1, 1, 1}, {1, 1, 0}, {0, 1, 0}, {1, 0, 1}};
        double[] wPos = {0.25, 0.25, 0.5};
        double[] wNeg = {0.75, 0.75, 0.5};
        List<Case<Double>> cases = new ArrayList<>();
        cases.add(new Case<>("course: p = 0.7 everywhere, eps = 1", -0.4956203,
                () -> student.loss(copy(y), constant(4, 3, 0.7), wPos.clone(), wNeg.clone(), 1)));
        cases.add(new Case<>("course: p = 0.3 everywhere, eps = 1", -0.4956203,
                () -> student.loss(copy(y), constant(4, 3, 0.3), wPos.clone(), wNeg.clone(), 1)));
        Random rnd = new Random(7);
        double[][] p = new double[4][3];
        for (double[] row : p) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 0.05 + 0.9 * rnd.nextDouble();
            }
        }
        double expected = new WeightedBinaryCrossEntropy(wPos, wNeg, 1e-7).score(y, p);
        cases.add(new Case<>("random p (seed 7), eps = 1e-7", expected,
                () -> student.loss(copy(y), copy(p), wPos.clone(), wNeg.clone(), 1e-7)));
        return enforce(run("get_weighted_loss", cases, v -> String.format(Locale.ROOT, "%.7f", v),
                (a, b) -> Math.abs(a - b) <= 1e-6 + TOLERANCE * Math.abs(a)));
    }

    // ------------------------------------------------------------------------------------- Grad-CAM weights

    /** Checks the Grad-CAM channel weights on a hand-made gradient (2 channels of 2×2: means 2.5 and −1). */
    public static Verdict checkGradCamWeights(ChannelWeights student) {
        return checkGradCamWeights(student, null);
    }

    /** The same, plus the gradient of a real model's score at the target layer against the library's weights. */
    public static Verdict checkGradCamWeights(ChannelWeights student, GradCamTerms real) {
        double[][][] hand = {{{1, 2}, {3, 4}}, {{0, 0}, {0, -4}}};
        List<Case<double[]>> cases = new ArrayList<>();
        cases.add(new Case<>("hand-made 2 channels of 2x2", new double[] {2.5, -1}, () -> student.weights(copy(hand))));
        if (real != null) {
            double[][][] g = firstExample(real.gradient());
            cases.add(new Case<>("the model's gradient at '" + real.layer() + "' (" + g.length + " channels of "
                    + g[0].length + "x" + g[0][0].length + "), first 4 weights shown", real.meanGradient(),
                    () -> student.weights(copy(g))));
        }
        return enforce(run("Grad-CAM channel weights", cases, v -> fmt(Arrays.copyOf(v, Math.min(4, v.length)))
                + (v.length > 4 ? " ... (" + v.length + ")" : ""), (a, b) -> close(new double[][] {a}, new double[][] {b})));
    }

    /** Example 0 of an {@code [n, channels, h, w]} array as {@code [channel][row][column]}. */
    public static double[][][] firstExample(INDArray nchw) {
        long[] s = nchw.shape();
        double[][][] out = new double[(int) s[1]][(int) s[2]][(int) s[3]];
        for (int c = 0; c < s[1]; c++) {
            for (int r = 0; r < s[2]; r++) {
                for (int q = 0; q < s[3]; q++) {
                    out[c][r][q] = nchw.getDouble(0, c, r, q);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ common

    /** One test case: a description, the expected value and the student's computation of it. */
    private record Case<T>(String name, T expected, Supplier<T> actual) {
    }

    private interface Same<T> {
        boolean test(T expected, T actual);
    }

    private static <T> Verdict run(String exercise, List<Case<T>> cases, java.util.function.Function<T, String> show,
                                   Same<T> same) {
        List<String> lines = new ArrayList<>();
        boolean allRight = true;
        for (Case<T> c : cases) {
            T got;
            try {
                got = c.actual().get();
            } catch (NotYetSolved e) {
                List<String> expected = new ArrayList<>();
                for (Case<T> k : cases) {
                    expected.add("  " + k.name() + ": expected " + show.apply(k.expected()));
                }
                return new Verdict(exercise, Status.NOT_YET_SOLVED, expected);
            } catch (RuntimeException e) {
                lines.add("  " + k(false) + c.name() + ": expected " + show.apply(c.expected()) + ", but the function threw "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                allRight = false;
                continue;
            }
            boolean ok = got != null && same.test(c.expected(), got);
            allRight &= ok;
            lines.add("  " + k(ok) + c.name() + ": expected " + show.apply(c.expected()) + ", got "
                    + (got == null ? "null" : show.apply(got)));
        }
        return new Verdict(exercise, allRight ? Status.RIGHT : Status.WRONG, lines);
    }

    private static String k(boolean ok) {
        return ok ? "[ok]    " : "[wrong] ";
    }

    private static Verdict enforce(Verdict v) {
        if (!v.right() && "strict".equalsIgnoreCase(System.getProperty(MODE_PROPERTY, ""))) {
            throw new ExerciseFailed(v.toString());
        }
        return v;
    }

    private static List<String> ids(int... ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).toList();
    }

    private static double[][] both(Frequencies f) {
        return f == null ? null : new double[][] {f.positive(), f.negative()};
    }

    private static boolean close(double[][] expected, double[][] actual) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] == null || actual[i].length != expected[i].length) {
                return false;
            }
            for (int j = 0; j < expected[i].length; j++) {
                if (!(Math.abs(expected[i][j] - actual[i][j]) <= 1e-9 + TOLERANCE * Math.abs(expected[i][j]))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String fmt(double[] v) {
        if (v == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return sb.append(']').toString();
    }

    private static double[][] constant(int rows, int cols, double v) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            Arrays.fill(row, v);
        }
        return m;
    }

    private static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }

    private static double[][][] copy(double[][][] m) {
        return Arrays.stream(m).map(Exercises::copy).toArray(double[][][]::new);
    }
}
