package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.PatientSplitter;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.explain.CaseSelector;
import org.cxrworkbook.explain.ExplainSample;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GalleryCase;
import org.cxrworkbook.eval.RocReport;
import org.cxrworkbook.image.Pixels;
import org.cxrworkbook.image.PngReader;
import org.cxrworkbook.train.ClassFrequencies;
import org.cxrworkbook.train.TrainingHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every plot helper of the workbook rendered headless to PNG in one parameterised test, as XChart's own demo test
 * does: the picture must decode, have the chart's size and not be blank. The PNGs stay in
 * {@code target/plot-gallery/} to be looked at.
 */
class PlotGalleryTest {

    static final Path GALLERY = Path.of("target/plot-gallery");

    @TempDir
    static Path tmp;

    static ChestXrayDataset dataset;

    @BeforeAll
    static void phantom() {
        PhantomGenerator.builder().images(60).size(128).seed(5).progress(null).build().generate(tmp.resolve("phantom"));
        dataset = ChestXrayDataset.load(tmp.resolve("phantom"));
    }

    /** A phantom film as model input [1, 1, h, w] with a lesion box, labels and a heatmap peaked on the box. */
    static ExplainSample film() {
        ImageRecord r = dataset.records().stream().filter(x -> !dataset.boxes(x.imageIndex()).isEmpty()).findFirst()
                .orElseThrow();
        Pixels p = PngReader.read(dataset.imagePath(r));
        float[] d = p.channel(0);
        return new ExplainSample(r.imageIndex(), Nd4j.create(d, new long[] {1, 1, p.height(), p.width()}), r.findings(),
                dataset.boxes(r.imageIndex()), p.width(), p.height());
    }

    static float[][] blob(ExplainSample s, double cx, double cy) {
        int h = (int) s.input().size(2);
        int w = (int) s.input().size(3);
        float[][] m = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y][x] = (float) Math.exp(-(Math.pow(x - cx * w, 2) + Math.pow(y - cy * h, 2)) / (2 * Math.pow(0.12 * w, 2)));
            }
        }
        return m;
    }

    static Stream<Arguments> plots() {
        RocReport roc = RocPlotsTest.report();
        TrainingHistory history = TrainingPlotsTest.history();
        ClassFrequencies freqs = ClassFrequencies.of(dataset.records());
        Pixels first = PngReader.read(dataset.imagePath(dataset.records().get(0)));
        Pixels raw = Pixels.grey(first.height(), first.width(), first.channel(0));
        Pixels std = raw.copy();
        float[] d = std.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (d[i] - 120f) / 40f;
        }
        var splits = new PatientSplitter(1).split(dataset.records(), 0.2, 0.2).asMap();
        ExplainSample s = film();
        BoundingBox box = s.boxes().get(0);
        float[][] onBox = blob(s, (box.x() + box.width() / 2) / s.pngWidth(), (box.y() + box.height() / 2) / s.pngHeight());
        float[][] elsewhere = blob(s, 0.3, 0.7);
        Finding absent = Finding.all().stream().filter(f -> !s.findings().contains(f)).findFirst().orElseThrow();
        List<FindingHeatmap> top = List.of(new FindingHeatmap(box.finding(), 0.873, onBox),
                new FindingHeatmap(absent, 0.412, elsewhere), new FindingHeatmap(Finding.PLEURAL_THICKENING, 0.05, elsewhere));
        Map<String, float[][]> methods = new LinkedHashMap<>();
        methods.put("Grad-CAM " + box.finding().label(), onBox);
        methods.put("Grad-CAM++ " + box.finding().label(), elsewhere);
        var tp = new CaseSelector.Pick(CaseSelector.Kind.TRUE_POSITIVE, 0, s.imageIndex(), box.finding(), 0.91);
        var fp = new CaseSelector.Pick(CaseSelector.Kind.FALSE_POSITIVE, 0, s.imageIndex(), absent, 0.67);
        List<GalleryCase> gallery = List.of(new GalleryCase(tp, s, onBox), new GalleryCase(fp, s, elsewhere));
        return Stream.of(
                chart("roc-curves", () -> RocPlots.rocCurves(roc)),
                chart("roc-one-finding", () -> RocPlots.rocCurve(roc.get(Finding.ATELECTASIS), 300, 270)),
                chart("roc-undefined-finding", () -> RocPlots.rocCurve(roc.get(Finding.HERNIA), 300, 270)),
                picture("roc-small-multiples", () -> RocPlots.smallMultiples(roc, 4)),
                chart("calibration", () -> RocPlots.calibration(roc)),
                chart("training-curves", () -> TrainingPlots.curves(history)),
                chart("training-auc", () -> TrainingPlots.auc(history)),
                chart("finding-counts", () -> DataPlots.findingCounts(dataset)),
                chart("split-sizes", () -> DataPlots.splitSizes(splits, "Images and patients per split")),
                chart("split-prevalence", () -> DataPlots.splitPrevalence(splits, "Prevalence per split")),
                picture("sample-grid", () -> DataPlots.sampleGrid(dataset, DataPlots.examples(dataset, 6), 3, 160)),
                chart("class-frequencies", () -> FrequencyPlots.frequencies(freqs)),
                chart("loss-contributions", () -> FrequencyPlots.contributions(freqs, true)),
                chart("histogram", () -> ImagePlots.histogram("Pixel values", raw, 50)),
                chart("raw-vs-standardised", () -> ImagePlots.rawVsStandardised(raw, std, 50)),
                chart("overlaid-histograms", () -> ImagePlots.overlaidHistograms("Test pixels",
                        Map.of("a", std.data(), "b", raw.data()), 40)),
                picture("raw-and-standardised-panels", () -> ImagePlots.rawAndStandardisedPanels(raw, std, 50)),
                chart("per-image-means", () -> ImagePlots.perImageMeans(new double[] {100.5, 110.25, 120, 121, 130.75}, 10)),
                picture("picture", () -> ImagePlots.picture(raw)),
                picture("gradcam-top-findings", () -> HeatmapPlots.topK(s, top)),
                picture("gradcam-methods", () -> HeatmapPlots.methods(s, box.finding(), 0.873, methods)),
                picture("gradcam-gallery", () -> HeatmapPlots.gallery(gallery)),
                picture("colour-bar", HeatmapPlots::colourBar));
    }

    static Arguments chart(String name, Supplier<Chart<?, ?>> chart) {
        return Arguments.of(name, (Supplier<BufferedImage>) () -> Charts.image(chart.get()));
    }

    static Arguments picture(String name, Supplier<BufferedImage> picture) {
        return Arguments.of(name, picture);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plots")
    void rendersHeadlessToAPng(String name, Supplier<BufferedImage> plot) throws Exception {
        BufferedImage image = plot.get();
        Path png = Charts.savePng(image, GALLERY.resolve(name + ".png"));
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(image.getWidth(), back.getWidth());
        assertEquals(image.getHeight(), back.getHeight());
        assertTrue(distinctColours(back) > 8, name + " looks blank");
        assertTrue(Files.size(png) > 1000, name + " PNG too small");
    }

    static long distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight() && seen.size() < 100; y += 2) {
            for (int x = 0; x < img.getWidth() && seen.size() < 100; x += 2) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
