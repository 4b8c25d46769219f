package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.cxrworkbook.train.RankAuc;
import org.junit.jupiter.api.Test;

class AucTest {

    @Test
    void classicExample() {
        // pairs (pos, neg): 0.35>0.1 yes, 0.35>0.4 no, 0.8 beats both -> 3 of 4
        assertEquals(0.75, Auc.auc(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8}), 1e-12);
    }

    @Test
    void tiedPositiveAndNegativeCountHalf() {
        // pos 0.5 vs neg 0.5: 1/2, vs neg 0.2: 1; pos 0.9 beats both: 2 -> 3.5 / 4
        assertEquals(0.875, Auc.auc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9}), 1e-12);
    }

    @Test
    void allTiedIsOneHalf() {
        assertEquals(0.5, Auc.auc(new int[] {0, 1, 1, 0, 1}, new double[] {0.3, 0.3, 0.3, 0.3, 0.3}), 1e-12);
    }

    @Test
    void perfectAndReversedSeparation() {
        int[] y = {0, 0, 0, 1, 1};
        assertEquals(1.0, Auc.auc(y, new double[] {0.1, 0.2, 0.3, 0.7, 0.9}), 1e-12);
        assertEquals(0.0, Auc.auc(y, new double[] {0.9, 0.8, 0.7, 0.2, 0.1}), 1e-12);
    }

    @Test
    void oneValuedLabelsAreUndefined() {
        assertTrue(Double.isNaN(Auc.auc(new int[] {0, 0, 0}, new double[] {0.1, 0.5, 0.9})));
        assertTrue(Double.isNaN(Auc.auc(new int[] {1, 1}, new double[] {0.1, 0.5})));
        assertTrue(Double.isNaN(Auc.auc(new int[0], new double[0])));
    }

    @Test
    void equalsPairCountingOnRandomDataWithManyTies() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 50 + r.nextInt(300);
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextDouble() < 0.3 ? 1 : 0;
                s[i] = Math.round(r.nextDouble() * 20) / 20.0 + 0.05 * y[i];
            }
            assertEquals(pairCount(y, s), Auc.auc(y, s), 1e-9);
        }
    }

    @Test
    void weightedAucEqualsAucOfTheExpandedSample() {
        Random r = new Random(11);
        int n = 120;
        int[] y = new int[n];
        double[] s = new double[n];
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            s[i] = Math.round(r.nextDouble() * 10) / 10.0;
            w[i] = r.nextInt(4);
        }
        int total = Arrays.stream(w).sum();
        int[] ey = new int[total];
        double[] es = new double[total];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < w[i]; c++) {
                ey[k] = y[i];
                es[k++] = s[i];
            }
        }
        assertEquals(Auc.auc(ey, es), RankAuc.weightedAuc(RankAuc.SortedScores.of(y, s), w), 1e-12);
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        assertEquals(Auc.auc(y, s), RankAuc.weightedAuc(RankAuc.SortedScores.of(y, s), ones), 1e-12);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Auc.auc(new int[] {0, 2}, new double[] {0.1, 0.2}));
        assertThrows(IllegalArgumentException.class, () -> Auc.auc(new int[] {0, 1}, new double[] {0.1}));
        assertThrows(IllegalArgumentException.class, () -> Auc.auc(new int[] {0, 1}, new double[] {0.1, Double.NaN}));
    }

    /** Independent definition: fraction of (positive, negative) pairs ordered correctly, ties 1/2. */
    static double pairCount(int[] y, double[] s) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }
}
