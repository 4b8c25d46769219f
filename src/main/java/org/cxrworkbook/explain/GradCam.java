package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grad-CAM (Selvaraju et al. 2017) on a named vertex: weights w_k = spatial mean of dS/dA_k, map =
 * Σ_k w_k·A_k, then the course's post-processing (bilinear resize, ReLU, divide by max; see {@link Heatmaps}).
 *
 * <p>The default target is the course's {@code bn} (BatchNormalization after {@code conv5_block16_concat});
 * {@code conv5_block16_concat} and {@code relu} work too. Gradients come from {@link TailHead}, checked against
 * finite differences of the real graph in the tests. With the default logit score the normalised map equals the
 * one from the probability score (dp/dA = p(1−p)·dz/dA, a positive constant per image), and the logit does not
 * vanish when p saturates near 0 or 1.
 */
public final class GradCam implements LayerHeatmapMethod {

    /** The course's target vertex. */
    public static final String DEFAULT_LAYER = "bn";

    private final String layer;
    private final Score score;

    private GradCam(String layer, Score score) {
        this.layer = layer;
        this.score = score;
    }

    /** Grad-CAM at the course's {@code bn} vertex with the logit score. */
    public static GradCam defaults() {
        return new GradCam(DEFAULT_LAYER, Score.LOGIT);
    }

    /** Grad-CAM at a named vertex with the logit score. */
    public static GradCam at(String layer) {
        return new GradCam(layer, Score.LOGIT);
    }

    /** Grad-CAM at a named vertex with the chosen score. */
    public static GradCam at(String layer, Score score) {
        return new GradCam(layer, score);
    }

    /** The target vertex name. */
    @Override
    public String layer() {
        return layer;
    }

    /** The differentiated score. */
    @Override
    public Score score() {
        return score;
    }

    @Override
    public String name() {
        return "gradcam";
    }

    /**
     * Activations of the target vertex. Asked for alone: requesting {@code bn} together with later vertices returns
     * post-ReLU values in M2.1, because the ReLU activation layer works in place.
     */
    public static INDArray activations(ComputationGraph graph, INDArray input, String layer) {
        TailHead.chainAfter(graph, layer); // validates the name with a helpful message
        ComputationGraphConfiguration conf = graph.getConfiguration();
        WorkspaceMode mode = conf.getInferenceWorkspaceMode();
        // M2.1: output(...) of a non-layer vertex (MergeVertex) or of a vertex with several consumers leaves
        // workspace WS_LAYER_ACT_0 open and throws; without inference workspaces it works, so switch them off
        // for that one call.
        boolean leaks = !(conf.getVertices().get(layer) instanceof LayerVertex)
                || conf.getVertexInputs().values().stream().filter(in -> in.contains(layer)).count() > 1;
        if (leaks) {
            conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        }
        try {
            return graph.output(List.of(layer), false, new INDArray[] {input}, null)[0].dup();
        } finally {
            conf.setInferenceWorkspaceMode(mode);
        }
    }

    /** Activations and d(score)/d(activations) at the target vertex for one class. */
    public GradCamTerms terms(ComputationGraph graph, INDArray input, int classIndex) {
        return terms(graph, input, new int[] {classIndex}).get(0);
    }

    /** Terms for several classes with one forward pass of the network and one rebuilt head. */
    public List<GradCamTerms> terms(ComputationGraph graph, INDArray input, int... classIndices) {
        INDArray a = activations(graph, input, layer);
        return terms(a, TailHead.build(graph, layer, a.shape(), score), classIndices);
    }

    /** Terms for several classes from activations already computed at the target vertex and the tail rebuilt for them. */
    public List<GradCamTerms> terms(INDArray activations, TailHead head, int... classIndices) {
        List<GradCamTerms> out = new ArrayList<>();
        for (int c : classIndices) {
            out.add(new GradCamTerms(layer, c, activations, head.gradient(activations, c)));
        }
        return out;
    }

    @Override
    public float[][] heatmap(ComputationGraph graph, INDArray input, int classIndex) {
        return heatmaps(graph, input, classIndex).get(0);
    }

    @Override
    public List<float[][]> heatmaps(ComputationGraph graph, INDArray input, int... classIndices) {
        INDArray a = activations(graph, input, layer);
        return heatmaps(a, TailHead.build(graph, layer, a.shape(), score), (int) input.size(2), (int) input.size(3),
                classIndices);
    }

    @Override
    public List<float[][]> heatmaps(INDArray activations, TailHead head, int height, int width, int... classIndices) {
        List<float[][]> out = new ArrayList<>();
        for (GradCamTerms t : terms(activations, head, classIndices)) {
            double[][] cam = Heatmaps.weightedSum(t.activations(), t.meanGradient());
            out.add(Heatmaps.postProcess(cam, height, width));
        }
        return out;
    }

    @Override
    public String toString() {
        return "GradCam[" + layer + ", " + score + "]";
    }
}
