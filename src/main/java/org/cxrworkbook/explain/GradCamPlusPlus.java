package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018): channel weights w_k = Σ_ij α_ij·ReLU(dS/dA_ij) with
 * α_ij = g² / (2g² + Σ_ab A_ab · g³), g = dS/dA_ij, where S is the class logit.
 *
 * <p>The closed form comes from taking Y = exp(S): then dY/dA = e^S·g, d²Y/dA² = e^S·g², d³Y/dA³ = e^S·g³ exactly
 * when S is piecewise linear in A, which holds for the logit after DenseNet's last block (affine BN, ReLU, average
 * pool, dense). The e^S factors cancel in α, and the one left in the weights is the same for every channel, so it is
 * dropped (the normalised map is unchanged). A zero denominator is replaced by 1, as in the authors' code. The map is
 * then post-processed like Grad-CAM's ({@link Heatmaps#postProcess}).
 */
public final class GradCamPlusPlus implements LayerHeatmapMethod {

    private final GradCam gradients;

    private GradCamPlusPlus(String layer) {
        this.gradients = GradCam.at(layer, Score.LOGIT);
    }

    /** Grad-CAM++ at the course's {@code bn} vertex. */
    public static GradCamPlusPlus defaults() {
        return new GradCamPlusPlus(GradCam.DEFAULT_LAYER);
    }

    /** Grad-CAM++ at a named vertex. */
    public static GradCamPlusPlus at(String layer) {
        return new GradCamPlusPlus(layer);
    }

    /** The target vertex name. */
    @Override
    public String layer() {
        return gradients.layer();
    }

    /** Grad-CAM++'s closed form holds for the logit. */
    @Override
    public Score score() {
        return Score.LOGIT;
    }

    @Override
    public String name() {
        return "gradcampp";
    }

    /** Grad-CAM++ channel weights of the first example from activations and logit gradients [n, k, h, w]. */
    public static double[] weights(INDArray activations, INDArray gradient) {
        int k = (int) activations.size(1);
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            double[] a = activations.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().data().asDouble();
            double[] g = gradient.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().data().asDouble();
            double sumA = 0;
            for (double v : a) {
                sumA += v;
            }
            double sum = 0;
            for (int i = 0; i < g.length; i++) {
                double g2 = g[i] * g[i];
                double denominator = 2 * g2 + sumA * g2 * g[i];
                double alpha = g2 / (denominator != 0 ? denominator : 1.0);
                sum += alpha * Math.max(g[i], 0);
            }
            w[c] = sum;
        }
        return w;
    }

    @Override
    public float[][] heatmap(ComputationGraph graph, INDArray input, int classIndex) {
        return heatmaps(graph, input, classIndex).get(0);
    }

    @Override
    public List<float[][]> heatmaps(ComputationGraph graph, INDArray input, int... classIndices) {
        INDArray a = GradCam.activations(graph, input, layer());
        return heatmaps(a, TailHead.build(graph, layer(), a.shape(), Score.LOGIT), (int) input.size(2),
                (int) input.size(3), classIndices);
    }

    @Override
    public List<float[][]> heatmaps(INDArray activations, TailHead logitHead, int height, int width,
                                    int... classIndices) {
        List<float[][]> out = new ArrayList<>();
        for (GradCamTerms t : gradients.terms(activations, logitHead, classIndices)) {
            double[][] cam = Heatmaps.weightedSum(t.activations(), weights(t.activations(), t.gradient()));
            out.add(Heatmaps.postProcess(cam, height, width));
        }
        return out;
    }

    @Override
    public String toString() {
        return "GradCamPlusPlus[" + layer() + "]";
    }
}
