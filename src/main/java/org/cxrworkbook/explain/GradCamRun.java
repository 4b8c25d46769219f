package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Runs a heatmap method over images: probabilities for every image, a heatmap for every boxed finding, and the
 * localisation report against both baselines. What the CLI {@code gradcam} and notebook 08 call.
 */
public final class GradCamRun {

    /** One explained image: the sample, the model's probabilities and the heatmaps of its boxed findings. */
    public record Explained(ExplainSample sample, double[] probabilities, Map<Finding, float[][]> heatmaps) {
    }

    /** All explained images and their localisation report. */
    public record Result(List<Explained> images, LocalisationReport report) {

        /** Labels and probabilities of every image, for {@link CaseSelector#select}. */
        public List<CaseSelector.Scored> scored() {
            return images.stream().map(e -> new CaseSelector.Scored(e.sample().imageIndex(), e.sample().findings(),
                    e.probabilities())).toList();
        }
    }

    private GradCamRun() {
    }

    /** Explains every sample and scores the heatmaps of boxed findings (images without boxes are counted). */
    public static Result run(ComputationGraph graph, List<ExplainSample> samples, HeatmapMethod method,
                             LocalisationOptions options) {
        List<Explained> images = new ArrayList<>();
        List<LocalisationCase> cases = new ArrayList<>();
        for (ExplainSample s : samples) {
            double[] p = Explanations.probabilities(graph, s.input());
            Set<Finding> boxed = EnumSet.noneOf(Finding.class);
            for (BoundingBox b : s.boxes()) {
                boxed.add(b.finding());
            }
            Map<Finding, float[][]> maps = Explanations.forFindings(graph, s.input(), method, boxed);
            images.add(new Explained(s, p, maps));
            cases.add(new LocalisationCase(s.imageIndex(), s.pngWidth(), s.pngHeight(), s.boxes(), maps));
        }
        return new Result(images, LocalisationScorer.with(options).score(cases, method.name()));
    }
}
