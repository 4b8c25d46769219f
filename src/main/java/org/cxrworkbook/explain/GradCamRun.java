package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    /**
     * Explains every sample and scores the heatmaps of boxed findings (images without boxes are counted). For a
     * {@link LayerHeatmapMethod} the network runs forward once per {@value #BATCH} images, up to the target vertex;
     * the probabilities and gradients then come from the small rebuilt tail ({@link TailHead}). Other methods run
     * image by image.
     */
    public static Result run(ComputationGraph graph, List<ExplainSample> samples, HeatmapMethod method,
                             LocalisationOptions options) {
        List<Explained> images = new ArrayList<>();
        List<LocalisationCase> cases = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += BATCH) {
            List<ExplainSample> batch = samples.subList(from, Math.min(samples.size(), from + BATCH));
            images.addAll(method instanceof LayerHeatmapMethod m ? explainBatch(graph, batch, m)
                    : batch.stream().map(s -> explainOne(graph, s, method)).toList());
        }
        for (Explained e : images) {
            ExplainSample s = e.sample();
            cases.add(new LocalisationCase(s.imageIndex(), s.pngWidth(), s.pngHeight(), s.boxes(), e.heatmaps()));
        }
        return new Result(images, LocalisationScorer.with(options).score(cases, method.name()));
    }

    /** Images per forward pass of the batched path: large enough to use both cores well, small in memory at 224². */
    public static final int BATCH = 8;

    private static Explained explainOne(ComputationGraph graph, ExplainSample s, HeatmapMethod method) {
        return new Explained(s, Explanations.probabilities(graph, s.input()),
                Explanations.forFindings(graph, s.input(), method, boxedFindings(s)));
    }

    /** One forward pass to the target vertex for the whole batch; probabilities and heatmaps from the tail per image. */
    private static List<Explained> explainBatch(ComputationGraph graph, List<ExplainSample> batch, LayerHeatmapMethod m) {
        INDArray x = Nd4j.concat(0, batch.stream().map(ExplainSample::input).toArray(INDArray[]::new));
        INDArray acts = GradCam.activations(graph, x, m.layer());
        long[] one = acts.shape().clone();
        one[0] = 1;
        TailHead head = TailHead.build(graph, m.layer(), one, m.score());
        TailHead probabilities = TailHead.build(graph, m.layer(), one, Score.PROBABILITY);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        List<Explained> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ExplainSample s = batch.get(i);
            INDArray a = acts.get(NDArrayIndex.interval(i, i + 1)).dup();
            double[] p = probabilities.scores(a).getRow(0).toDoubleVector();
            List<Finding> findings = new ArrayList<>(boxedFindings(s));
            List<float[][]> maps = findings.isEmpty() ? List.of()
                    : m.heatmaps(a, head, h, w, findings.stream().mapToInt(Finding::ordinal).toArray());
            Map<Finding, float[][]> byFinding = new EnumMap<>(Finding.class);
            for (int f = 0; f < findings.size(); f++) {
                byFinding.put(findings.get(f), maps.get(f));
            }
            out.add(new Explained(s, p, byFinding));
        }
        return out;
    }

    private static Set<Finding> boxedFindings(ExplainSample s) {
        Set<Finding> boxed = EnumSet.noneOf(Finding.class);
        for (BoundingBox b : s.boxes()) {
            boxed.add(b.finding());
        }
        return boxed;
    }
}
