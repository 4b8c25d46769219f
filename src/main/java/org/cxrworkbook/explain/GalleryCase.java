package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A picked case (true/false positive, false negative) with its film (input, labels, boxes) and its finding's heatmap. */
public record GalleryCase(CaseSelector.Pick pick, ExplainSample sample, float[][] heatmap) {

    /** The model input of the film. */
    public INDArray input() {
        return sample.input();
    }

    /** Heatmaps for picks made over {@code samples} (picks index into that list). */
    public static List<GalleryCase> of(ComputationGraph graph, List<ExplainSample> samples,
                                       List<CaseSelector.Pick> picks, HeatmapMethod method) {
        List<GalleryCase> out = new ArrayList<>();
        for (CaseSelector.Pick p : picks) {
            ExplainSample s = samples.get(p.imageIndexInList());
            out.add(new GalleryCase(p, s, method.heatmap(graph, s.input(), p.finding().ordinal())));
        }
        return out;
    }
}
