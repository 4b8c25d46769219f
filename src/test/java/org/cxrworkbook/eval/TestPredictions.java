package org.cxrworkbook.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.Finding;

/** Builds small {@link Predictions} for tests: findings not given get labels i % 2 and probability 0.5 (AUC 0.5). */
final class TestPredictions {

    private TestPredictions() {
    }

    static Predictions of(List<String> patients, Map<Finding, int[]> labels, Map<Finding, double[]> probs) {
        int n = patients.size();
        List<String> images = new ArrayList<>();
        int[][] y = new int[n][Finding.COUNT];
        double[][] p = new double[n][Finding.COUNT];
        for (int i = 0; i < n; i++) {
            images.add(String.format("%08d_%03d.png", Integer.parseInt(patients.get(i)), i));
            for (Finding f : Finding.all()) {
                y[i][f.ordinal()] = labels.containsKey(f) ? labels.get(f)[i] : i % 2;
                p[i][f.ordinal()] = probs.containsKey(f) ? probs.get(f)[i] : 0.5;
            }
        }
        return Predictions.of(images, patients, y, p);
    }
}
