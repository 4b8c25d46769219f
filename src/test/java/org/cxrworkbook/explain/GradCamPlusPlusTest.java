package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradCamPlusPlusTest {

    @Test
    void weightsOnAHandCheckedChannel() {
        // A = [[1,2],[3,0]] (ΣA = 6), g = [[1,-1],[0.5,0]]:
        // α = g²/(2g² + 6g³): 1/8, 1/(2−6) = −1/4, 0.25/(0.5+0.75) = 0.2, 0 (zero denominator → 1)
        // w = Σ α·ReLU(g) = 1/8·1 + 0 + 0.2·0.5 + 0 = 0.225
        INDArray a = Nd4j.create(new double[] {1, 2, 3, 0}, new long[] {1, 1, 2, 2});
        INDArray g = Nd4j.create(new double[] {1, -1, 0.5, 0}, new long[] {1, 1, 2, 2});
        assertEquals(0.225, GradCamPlusPlus.weights(a, g)[0], 1e-12);
    }

    @Test
    void constantGradientGivesClosedFormWeights() {
        // At 'relu' the logit is Σ_k W[k,c]·mean(A_k) + b, so g_k = W[k,c]/(h·w) everywhere and
        // w_k = h·w·ReLU(g_k)/(2 + g_k·ΣA_k).
        ComputationGraph graph = SmallGraphs.denseNetTail(3);
        INDArray image = SmallGraphs.image(5);
        int cls = 2;
        GradCamTerms t = GradCam.at("relu").terms(graph, image, cls);
        INDArray w = graph.getLayer("predictions").getParam("W");
        INDArray a = t.activations();
        int hw = (int) (a.size(2) * a.size(3));
        double[] weights = GradCamPlusPlus.weights(a, t.gradient());
        for (int k = 0; k < weights.length; k++) {
            double g = w.getDouble(k, cls) / hw;
            double sumA = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(k)).sumNumber().doubleValue();
            double expected = g == 0 ? 0 : hw * Math.max(g, 0) / (2 + g * sumA);
            assertEquals(expected, weights[k], 1e-9, "channel " + k);
        }
        float[][] map = GradCamPlusPlus.at("relu").heatmap(graph, image, cls);
        assertEquals(SmallGraphs.SIZE, map.length);
        float max = 0;
        for (float[] row : map) {
            for (float v : row) {
                max = Math.max(max, v);
            }
        }
        assertEquals(1f, max, 1e-6f);
    }
}
