package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A picked case (true/false positive, false negative) with its model input and the heatmap of its finding. */
public record GalleryCase(CaseSelector.Pick pick, INDArray input, float[][] heatmap) {

    /** Heatmaps for picks made over {@code samples} (picks index into that list). */
    public static List<GalleryCase> of(ComputationGraph graph, List<ExplainSample> samples,
                                       List<CaseSelector.Pick> picks, HeatmapMethod method) {
        List<GalleryCase> out = new ArrayList<>();
        for (CaseSelector.Pick p : picks) {
            INDArray x = samples.get(p.imageIndexInList()).input();
            out.add(new GalleryCase(p, x, method.heatmap(graph, x, p.finding().ordinal())));
        }
        return out;
    }
}
