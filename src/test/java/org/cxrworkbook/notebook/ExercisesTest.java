package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.explain.GradCamTerms;
import org.cxrworkbook.notebook.Exercises.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ExercisesTest {

    @AfterEach
    void clearMode() {
        System.clearProperty(Exercises.MODE_PROPERTY);
    }

    // the course's answers, written out as a student would

    private static final Exercises.LeakageCheck LEAKAGE = (a, b) -> {
        var s = new HashSet<>(a);
        s.retainAll(new HashSet<>(b));
        return !s.isEmpty();
    };

    private static final Exercises.ClassFreqs FREQS = labels -> {
        double[] pos = new double[labels[0].length];
        for (double[] row : labels) {
            for (int j = 0; j < row.length; j++) {
                pos[j] += row[j] / labels.length;
            }
        }
        double[] neg = new double[pos.length];
        for (int j = 0; j < pos.length; j++) {
            neg[j] = 1 - pos[j];
        }
        return new Exercises.Frequencies(pos, neg);
    };

    private static final Exercises.WeightedLoss LOSS = (y, p, wPos, wNeg, eps) -> {
        double loss = 0;
        for (int j = 0; j < y[0].length; j++) {
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                sum += -(wPos[j] * y[i][j] * Math.log(p[i][j] + eps) + wNeg[j] * (1 - y[i][j]) * Math.log(1 - p[i][j] + eps));
            }
            loss += sum / y.length;
        }
        return loss;
    };

    private static final Exercises.ChannelWeights WEIGHTS = g -> {
        double[] w = new double[g.length];
        for (int c = 0; c < g.length; c++) {
            for (double[] row : g[c]) {
                for (double v : row) {
                    w[c] += v / (g[c].length * row.length);
                }
            }
        }
        return w;
    };

    private static ImageRecord film(String patient, int k) {
        return ImageRecord.of(String.format("%08d_%03d.png", Integer.parseInt(patient), k), patient, EnumSet.noneOf(Finding.class));
    }

    private static SplitSet split(String trainPatient, String testPatient) {
        return new SplitSet(List.of(film(trainPatient, 0)), List.of(), List.of(film(testPatient, 1)));
    }

    @Test
    void rightAnswersAreRight() {
        assertEquals(Status.RIGHT, Exercises.checkForLeakage(LEAKAGE, split("1", "1"), split("1", "2")).status());
        assertEquals(Status.RIGHT, Exercises.checkClassFreqs(FREQS, new double[][] {{1, 0}, {1, 1}, {0, 0}}).status());
        assertEquals(Status.RIGHT, Exercises.checkWeightedLoss(LOSS).status());
        var g = Nd4j.create(new double[] {1, 2, 3, 4, 0, 0, 0, -4, 5, 5, 5, 9}, 1, 3, 2, 2);
        Exercises.Verdict v = Exercises.checkGradCamWeights(WEIGHTS, new GradCamTerms("bn", 0, g, g));
        assertEquals(Status.RIGHT, v.status(), v.toString());
        assertTrue(v.toString().startsWith("RIGHT: Grad-CAM channel weights"), v.toString());
        assertTrue(v.toString().contains("expected [2.500, -1.000, 6.000], got [2.500, -1.000, 6.000]"), v.toString());
    }

    @Test
    void courseValuesAreShown() {
        String freqs = Exercises.checkClassFreqs(FREQS).toString();
        assertTrue(freqs.contains("expected pos [0.8000, 0.4000, 0.8000], neg [0.2000, 0.6000, 0.2000]"), freqs);
        String loss = Exercises.checkWeightedLoss(LOSS).toString();
        assertTrue(loss.contains("p = 0.7 everywhere, eps = 1: expected -0.4956203, got -0.4956203"), loss);
        assertTrue(loss.contains("p = 0.3 everywhere, eps = 1: expected -0.4956203, got -0.4956203"), loss);
    }

    @Test
    void wrongAnswersAreReportedWrong() {
        // always "no leak"; row count instead of the mean; mean without weights; sum instead of mean
        Exercises.Verdict leak = Exercises.checkForLeakage((a, b) -> false);
        assertEquals(Status.WRONG, leak.status());
        assertTrue(leak.toString().contains("[wrong] course: [0, 1, 2] vs [2, 3, 4]: expected true, got false"), leak.toString());
        assertEquals(Status.WRONG, Exercises.checkForLeakage((a, b) -> a.equals(b)).status());
        Exercises.ClassFreqs counts = labels -> {
            Exercises.Frequencies f = FREQS.compute(labels);
            double[] pos = f.positive().clone();
            for (int j = 0; j < pos.length; j++) {
                pos[j] *= labels.length;
            }
            return new Exercises.Frequencies(pos, f.negative());
        };
        assertEquals(Status.WRONG, Exercises.checkClassFreqs(counts).status());
        Exercises.ClassFreqs swapped = labels -> {
            Exercises.Frequencies f = FREQS.compute(labels);
            return new Exercises.Frequencies(f.negative(), f.positive());
        };
        assertEquals(Status.WRONG, Exercises.checkClassFreqs(swapped).status());
        Exercises.WeightedLoss unweighted = (y, p, wPos, wNeg, eps) -> LOSS.loss(y, p, new double[] {1, 1, 1}, new double[] {1, 1, 1}, eps);
        assertEquals(Status.WRONG, Exercises.checkWeightedLoss(unweighted).status());
        Exercises.WeightedLoss swappedWeights = (y, p, wPos, wNeg, eps) -> LOSS.loss(y, p, wNeg, wPos, eps);
        assertEquals(Status.WRONG, Exercises.checkWeightedLoss(swappedWeights).status());
        Exercises.ChannelWeights sum = g -> {
            double[] w = WEIGHTS.weights(g);
            for (int c = 0; c < w.length; c++) {
                w[c] *= 4;
            }
            return w;
        };
        assertEquals(Status.WRONG, Exercises.checkGradCamWeights(sum).status());
        assertEquals(Status.WRONG, Exercises.checkGradCamWeights(g -> null).status());
    }

    @Test
    void aFunctionThatThrowsIsWrongAndNamed() {
        Exercises.Verdict v = Exercises.checkClassFreqs(labels -> {
            throw new ArrayIndexOutOfBoundsException("Index 3 out of bounds for length 3");
        });
        assertEquals(Status.WRONG, v.status());
        assertTrue(v.toString().contains("threw ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 3"), v.toString());
    }

    @Test
    void placeholderSaysNotYetSolvedAndShowsExpectedValues() {
        Exercises.Verdict v = Exercises.checkWeightedLoss((y, p, wPos, wNeg, eps) -> {
            throw Exercises.notYetSolved();
        });
        assertEquals(Status.NOT_YET_SOLVED, v.status());
        assertTrue(v.toString().startsWith("NOT YET SOLVED: complete get_weighted_loss"), v.toString());
        assertTrue(v.toString().contains("expected -0.4956203"), v.toString());
    }

    @Test
    void strictModeThrowsUnlessRight() {
        System.setProperty(Exercises.MODE_PROPERTY, "strict");
        assertEquals(Status.RIGHT, Exercises.checkForLeakage(LEAKAGE).status());
        var e = assertThrows(Exercises.ExerciseFailed.class, () -> Exercises.checkForLeakage((a, b) -> true));
        assertTrue(e.getMessage().startsWith("WRONG: check_for_leakage"), e.getMessage());
        assertThrows(Exercises.ExerciseFailed.class, () -> Exercises.checkClassFreqs(labels -> {
            throw Exercises.notYetSolved();
        }));
    }
}
