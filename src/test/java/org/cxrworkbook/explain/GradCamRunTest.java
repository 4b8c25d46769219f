package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class GradCamRunTest {

    @Test
    void explainsBoxedFindingsAndCountsImagesWithoutBoxes() {
        ComputationGraph graph = SmallGraphs.denseNetTail(7);
        ExplainSample boxed = new ExplainSample("00000001_000.png", SmallGraphs.image(1), Set.of(Finding.MASS),
                List.of(new BoundingBox("00000001_000.png", Finding.MASS, 100, 200, 300, 300)), 1024, 1024);
        ExplainSample plain = new ExplainSample("00000002_000.png", SmallGraphs.image(2), Set.of(), List.of(),
                1024, 1024);
        GradCamRun.Result r = GradCamRun.run(graph, List.of(boxed, plain), GradCam.defaults(),
                LocalisationOptions.builder().randomDraws(3).build());
        assertEquals(2, r.images().size());
        assertEquals(Set.of(Finding.MASS), r.images().get(0).heatmaps().keySet());
        assertEquals(Set.of(), r.images().get(1).heatmaps().keySet());
        float[][] direct = GradCam.defaults().heatmap(graph, boxed.input(), Finding.MASS.ordinal());
        for (int y = 0; y < direct.length; y++) {
            assertArrayEquals(direct[y], r.images().get(0).heatmaps().get(Finding.MASS)[y], 0f);
        }
        assertArrayEquals(graph.outputSingle(boxed.input()).toDoubleVector(), r.images().get(0).probabilities(), 1e-12);
        assertEquals(1, r.report().imagesScored());
        assertEquals(1, r.report().imagesWithoutBoxes());
        assertEquals(List.of("Mass", "All"), r.report().rows().stream().map(LocalisationReport.Row::finding).toList());
        // box (100,200)–(400,500) of 1024 on a 16² map → x ∈ [1.5625, 6.25), y ∈ [3.125, 7.8125):
        // pixel centres x ∈ {2..5}, y ∈ {3..7}, i.e. 4 × 5 = 20 pixels
        boolean hit = LocalisationScorer.pointingHit(direct, LocalisationScorer.toMapPixels(boxed.boxes(),
                1024, 1024, 16, 16));
        int[] p = LocalisationScorer.argmax(direct);
        assertEquals(p[1] >= 2 && p[1] <= 5 && p[0] >= 3 && p[0] <= 7, hit);
        assertEquals(hit ? 1.0 : 0.0, r.report().overall().orElseThrow().pointing());
    }

    @Test
    void batchedForwardGivesThePerImageMapsAndProbabilities() {
        ComputationGraph graph = SmallGraphs.denseNetTail(11);
        List<ExplainSample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < GradCamRun.BATCH + 3; i++) {   // two batches, the second a partial one
            Finding f = Finding.values()[i % Finding.COUNT];
            samples.add(new ExplainSample(String.format("%08d_000.png", i + 1), SmallGraphs.image(20 + i), Set.of(f),
                    List.of(new BoundingBox("x.png", f, 10 * i, 20, 300, 300), new BoundingBox("x.png", Finding.MASS,
                            500, 500, 100, 100)), 1024, 1024));
        }
        for (LayerHeatmapMethod method : List.of(GradCam.defaults(), GradCamPlusPlus.defaults())) {
            GradCamRun.Result r = GradCamRun.run(graph, samples, method, LocalisationOptions.builder().randomDraws(2).build());
            assertEquals(samples.size(), r.images().size());
            for (int i = 0; i < samples.size(); i++) {
                ExplainSample s = samples.get(i);
                GradCamRun.Explained e = r.images().get(i);
                assertEquals(s, e.sample());
                assertArrayEquals(graph.outputSingle(s.input()).toDoubleVector(), e.probabilities(), 1e-6);
                for (Finding f : e.heatmaps().keySet()) {
                    float[][] direct = method.heatmap(graph, s.input(), f.ordinal());
                    for (int y = 0; y < direct.length; y++) {
                        assertArrayEquals(direct[y], e.heatmaps().get(f)[y], 1e-5f, method.name() + " " + f + " row " + y);
                    }
                }
                assertEquals(s.boxes().stream().map(BoundingBox::finding).collect(java.util.stream.Collectors.toSet()),
                        e.heatmaps().keySet());
            }
        }
    }
}
