package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.CourseFolderWriter;
import org.cxrworkbook.data.CourseLayout;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.plot.HeatmapPlots;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grad-CAM on the course's example films: findings ranked by test AUC, heatmaps, the sentence, the fixture folder. */
class CourseExamplesTest {

    @TempDir
    Path dir;

    /**
     * Four test films, labels 1,1,0,0 for every finding but Edema (all 0: no AUC). AUC by hand (pairs positive >
     * negative of 4): Atelectasis .9,.8 vs .2,.1 → 4/4 = 1; Cardiomegaly .9,.2 vs .8,.1 → 3/4; Consolidation .1,.2 vs
     * .8,.9 → 0; Mass .8,.7 vs .75,.1 → 3/4; every other finding all 0.5 → ties → 0.5.
     */
    static Predictions handMade() {
        int[][] y = new int[4][Finding.COUNT];
        double[][] p = new double[4][Finding.COUNT];
        for (int i = 0; i < 4; i++) {
            Arrays.fill(p[i], 0.5);
            for (Finding f : Finding.all()) {
                y[i][f.ordinal()] = f != Finding.EDEMA && i < 2 ? 1 : 0;
            }
        }
        set(p, Finding.ATELECTASIS, .9, .8, .2, .1);
        set(p, Finding.CARDIOMEGALY, .9, .2, .8, .1);
        set(p, Finding.CONSOLIDATION, .1, .2, .8, .9);
        set(p, Finding.MASS, .8, .7, .75, .1);
        return Predictions.of(List.of("a.png", "b.png", "c.png", "d.png"), List.of("1", "2", "3", "4"), y, p);
    }

    private static void set(double[][] p, Finding f, double... v) {
        for (int i = 0; i < v.length; i++) {
            p[i][f.ordinal()] = v[i];
        }
    }

    @Test
    void ranksFindingsByTestAucAndExplainsEachFilm() {
        ComputationGraph graph = SmallGraphs.denseNetTail(7);
        ExplainSample mass = new ExplainSample("00008270_015.png", SmallGraphs.image(1), Set.of(Finding.MASS), List.of(),
                1024, 1024);
        ExplainSample clear = new ExplainSample("00011355_002.png", SmallGraphs.image(2), Set.of(), List.of(), 1024, 1024);
        CourseExamples.Result r = CourseExamples.of(graph, List.of(mass, clear), handMade(),
                List.of("00029855_001.png", "00005410_000.png"), GradCam.defaults(), 4);
        // ties (Cardiomegaly and Mass 0.75; the 0.5 findings) keep the canonical order; Edema has no AUC and is left out
        assertEquals(List.of(Finding.ATELECTASIS, Finding.CARDIOMEGALY, Finding.MASS, Finding.EFFUSION), r.findings());
        assertEquals(List.of(1.0, 0.75, 0.75, 0.5), r.testAuc());
        assertEquals(4, r.testFilms());
        assertEquals(2, r.films().size());
        for (CourseExamples.Film film : r.films()) {
            double[] p = graph.outputSingle(film.sample().input()).toDoubleVector();
            assertEquals(r.findings(), film.heatmaps().stream().map(FindingHeatmap::finding).toList());
            for (FindingHeatmap h : film.heatmaps()) {
                assertEquals(p[h.finding().ordinal()], h.probability(), 1e-12);
                float[][] direct = GradCam.defaults().heatmap(graph, film.sample().input(), h.finding().ordinal());
                for (int row = 0; row < direct.length; row++) {
                    assertArrayEquals(direct[row], h.map()[row], 1e-6f);
                }
            }
        }
        String s = r.summary();
        assertTrue(s.startsWith("Grad-CAM on 2 of the course's 4 example films for the 4 findings with the highest test AUC "
                + "here (4 test films): Atelectasis 1.000, Cardiomegaly 0.750, Mass 0.750, Effusion 0.500."), s);
        assertTrue(s.contains("Not in this test split: 00029855_001.png, 00005410_000.png."), s);
        // the most probable of the four on the first film, found here from the network's output
        double[] p = graph.outputSingle(mass.input()).toDoubleVector();
        Finding top = r.findings().stream().max((a, b) -> Double.compare(p[a.ordinal()], p[b.ordinal()])).orElseThrow();
        assertTrue(s.contains(String.format(java.util.Locale.ROOT, "00008270_015.png (true: Mass): of these findings the "
                + "model rates %s highest, p = %.3f, %s on the film.", top.label(), p[top.ordinal()],
                top == Finding.MASS ? "which is" : "which is NOT")), s);
        assertTrue(s.contains("00011355_002.png (true: No Finding)"), s);
        assertTrue(s.contains("Of the 8 film-finding pairs shown, 1 is on their film"), s);
        // the figure: one row per film, each the course's top-k row
        BufferedImage figure = HeatmapPlots.courseExamples(r);
        int row = HeatmapPlots.topK(mass, r.films().get(0).heatmaps()).getHeight();
        assertEquals(2 * (row + 1), figure.getHeight());
    }

    @Test
    void refusesWhatCannotBeShown() {
        ComputationGraph graph = SmallGraphs.denseNetTail(7);
        assertThrows(IllegalArgumentException.class, () -> CourseExamples.of(graph, List.of(), handMade(), List.of(),
                GradCam.defaults(), 0));
        int[][] y = new int[2][Finding.COUNT];
        double[][] p = new double[2][Finding.COUNT];
        Predictions oneValue = Predictions.of(List.of("a.png", "b.png"), List.of("1", "2"), y, p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CourseExamples.of(graph,
                List.of(), oneValue, List.of(), GradCam.defaults(), 4));
        assertTrue(e.getMessage().contains("no finding has a test AUC"), e.getMessage());
    }

    @Test
    void focusIsTheFirstBoxedFindingElseTheMostProbable() {
        ComputationGraph graph = SmallGraphs.denseNetTail(7);
        ExplainSample boxed = new ExplainSample("x.png", SmallGraphs.image(3), Set.of(Finding.NODULE, Finding.MASS),
                List.of(new BoundingBox("x.png", Finding.NODULE, 1, 2, 3, 4)), 1024, 1024);
        assertEquals(Finding.NODULE, Explanations.focus(graph, boxed));
        ExplainSample plain = new ExplainSample("y.png", SmallGraphs.image(3), Set.of(), List.of(), 1024, 1024);
        double[] p = graph.outputSingle(plain.input()).toDoubleVector();
        int best = 0;
        for (int i = 0; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        assertEquals(Finding.values()[best], Explanations.focus(graph, plain));
    }

    @Test
    void findsTheFourFilmsInTheCourseFolderFixtureAndNoneInTheNihLayout() {
        Path phantom = dir.resolve("phantom");
        PhantomGenerator.builder().images(48).size(32).seed(5).threads(2).progress(null).build().generate(phantom);
        ChestXrayDataset source = ChestXrayDataset.load(phantom);
        Path course = dir.resolve("nih");
        CourseFolderWriter.write(source, source.splits(0.2, 5), course, false);
        ComputationGraph graph = SmallGraphs.denseNetTail(7);
        TrainingData data = TrainingData.load(new DataSettings(course, SmallGraphs.SIZE, 1, 4, 0, 0.2, 5));
        data.train().shutdown();
        CourseExamples.Result r = CourseExamples.run(graph, data, GradCam.defaults(), 4);
        assertEquals(CourseLayout.GRADCAM_EXAMPLES, r.films().stream().map(f -> f.sample().imageIndex()).toList());
        assertEquals(List.of(), r.missing());
        assertEquals(data.splits().test().size(), r.testFilms());
        for (CourseExamples.Film f : r.films()) {
            assertEquals(data.dataset().record(f.sample().imageIndex()).orElseThrow().findings(), f.sample().findings());
        }
        TrainingData nih = TrainingData.load(new DataSettings(phantom, SmallGraphs.SIZE, 1, 4, 0, 0.2, 5));
        nih.train().shutdown();
        CourseExamples.Result none = CourseExamples.run(graph, nih, GradCam.defaults(), 4);
        assertTrue(none.isEmpty());
        assertEquals(CourseLayout.GRADCAM_EXAMPLES, none.missing());
        assertTrue(none.summary().startsWith("None of the course's example films"), none.summary());
    }
}
