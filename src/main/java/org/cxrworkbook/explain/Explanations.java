package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Heatmaps for the findings of one image: the top-k by probability, or a chosen set. */
public final class Explanations {

    private Explanations() {
    }

    /** The model's 14 probabilities for one image [1, c, h, w]. */
    public static double[] probabilities(ComputationGraph graph, INDArray input) {
        return graph.outputSingle(false, input).getRow(0).toDoubleVector();
    }

    /** Heatmaps of the k findings with the highest probability, highest first. */
    public static List<FindingHeatmap> topK(ComputationGraph graph, INDArray input, HeatmapMethod method, int k) {
        double[] p = probabilities(graph, input);
        List<Finding> order = IntStream.range(0, Math.min(p.length, Finding.COUNT)).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -p[i])).limit(k)
                .map(i -> Finding.values()[i]).toList();
        List<float[][]> maps = method.heatmaps(graph, input, order.stream().mapToInt(Finding::ordinal).toArray());
        List<FindingHeatmap> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            out.add(new FindingHeatmap(order.get(i), p[order.get(i).ordinal()], maps.get(i)));
        }
        return out;
    }

    /**
     * The finding to look at on one film: its first boxed finding, or for a film without boxes (e.g. the course's
     * folder) the finding the model rates most probable.
     */
    public static Finding focus(ComputationGraph graph, ExplainSample sample) {
        if (!sample.boxes().isEmpty()) {
            return sample.boxes().get(0).finding();
        }
        double[] p = probabilities(graph, sample.input());
        int best = 0;
        for (int i = 1; i < Math.min(p.length, Finding.COUNT); i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return Finding.values()[best];
    }

    /** Heatmaps of the given findings (e.g. those with boxes), keyed by finding. */
    public static Map<Finding, float[][]> forFindings(ComputationGraph graph, INDArray input, HeatmapMethod method,
                                                     Iterable<Finding> findings) {
        List<Finding> distinct = new ArrayList<>();
        for (Finding f : findings) {
            if (!distinct.contains(f)) {
                distinct.add(f);
            }
        }
        Map<Finding, float[][]> out = new EnumMap<>(Finding.class);
        if (distinct.isEmpty()) {
            return out;
        }
        List<float[][]> maps = method.heatmaps(graph, input, distinct.stream().mapToInt(Finding::ordinal).toArray());
        for (int i = 0; i < distinct.size(); i++) {
            out.put(distinct.get(i), maps.get(i));
        }
        return out;
    }
}
