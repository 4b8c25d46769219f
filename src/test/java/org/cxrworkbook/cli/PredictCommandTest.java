package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.train.CheckpointStore;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * {@code cxr predict} on a real NIH film (src/test/resources/films/00000001_000.png) with a small workbook model saved
 * as notebook 06 saves one (model.zip + data-settings.json, trained on a phantom set whose folder is named there).
 */
class PredictCommandTest {

    static final Path FILM = Path.of("src/test/resources/films/00000001_000.png");

    @TempDir
    static Path dir;
    static Path work;
    static Path phantom;

    @BeforeAll
    static void modelSavedAsNotebook06SavesIt() throws Exception {
        phantom = dir.resolve("phantom");
        PhantomGenerator.builder().images(60).size(64).seed(4).threads(2).progress(null).build().generate(phantom);
        ComputationGraph g = DenseNet.build(DenseNetConfig.small().toBuilder().inputSize(64).channels(1)
                .classes(Finding.COUNT).seed(8).build());
        Nd4j.getRandom().setSeed(2);
        g.getLayer(DenseNet.HEAD).getParam("b").assign(Nd4j.randn(DataType.FLOAT, 1, Finding.COUNT));
        work = Files.createDirectories(dir.resolve("work"));
        CheckpointStore.writeModel(g, work.resolve("model.zip"));
        new DataSettings(phantom, 64, 1, 8, 0, 0.2, 42).save(work);
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    private static JsonObject predictJson(Path model, Path image) {
        StringWriter out = new StringWriter();
        int rc = run(out, "predict", "--model", model.toString(), "--image", image.toString(), "--json");
        JsonObject o = new JsonParser().parse(out.toString()).getAsJsonObject();
        assertEquals(0, rc, out.toString());
        return o;
    }

    private static double[] probabilities(JsonObject o) {
        JsonObject f = o.getAsJsonObject("findings");
        List<String> names = f.entrySet().stream().map(java.util.Map.Entry::getKey).toList();
        assertEquals(Finding.labels(), names, "the 14 findings by name, in canonical order");
        return names.stream().mapToDouble(n -> f.get(n).getAsDouble()).toArray();
    }

    /** The film placed among the model's test films and run through notebook 07's path gives the same numbers. */
    @Test
    void aRealFilmIsPreprocessedAsTheModelsTestFilms() throws Exception {
        double[] p = probabilities(predictJson(work.resolve("model.zip"), FILM));
        for (double v : p) {
            assertTrue(v > 0 && v < 1, "a probability: " + v);
        }
        assertNotEquals(p[0], p[1], "the head's biases differ, so do the findings");

        TrainingData td = TrainingData.load(DataSettings.read(work), work);
        ImageRecord test0 = td.splits().test().get(0);
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Path target = td.dataset().imagePath(test0);
        Path saved = Files.copy(target, copy.resolve("saved.png"), StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.copy(FILM, target, StandardCopyOption.REPLACE_EXISTING);
            ComputationGraph model = Predictor.loadModel(work.resolve("model.zip"));
            Predictions viaTestSplit = Predictor.predict(model, td.evalIterator(List.of(test0), "test"), List.of(test0));
            for (int i = 0; i < Finding.COUNT; i++) {
                assertEquals(viaTestSplit.probabilities(Finding.all().get(i))[0], p[i], 1e-6, Finding.all().get(i).label());
            }
        } finally {
            Files.copy(saved, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A model trained on the course's folder layout (train-small.csv, …) predicts the film the same way. */
    @Test
    void aModelOfTheCoursesFolderPredictsToo() throws Exception {
        org.cxrworkbook.data.ChestXrayDataset source = org.cxrworkbook.data.ChestXrayDataset.load(phantom);
        Path course = dir.resolve("nih");
        org.cxrworkbook.data.CourseFolderWriter.write(source, source.splits(0.2, 4), course, false);
        Path courseWork = Files.createDirectories(dir.resolve("course-work"));
        Files.copy(work.resolve("model.zip"), courseWork.resolve("model.zip"), StandardCopyOption.REPLACE_EXISTING);
        new DataSettings(course, 64, 1, 8, 0, 0.2, 42).save(courseWork);
        double[] p = probabilities(predictJson(courseWork.resolve("model.zip"), FILM));
        assertEquals(Finding.COUNT, p.length);
        for (double v : p) {
            assertTrue(v > 0 && v < 1, "a probability: " + v);
        }
    }

    @Test
    void itsRgbaAnd16BitVersionsGiveTheSameAnswer() throws Exception {
        BufferedImage grey = ImageIO.read(FILM.toFile());
        int w = grey.getWidth();
        int h = grey.getHeight();
        BufferedImage rgba = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        BufferedImage deep = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = grey.getRaster().getSample(x, y, 0);
                rgba.setRGB(x, y, 0xff000000 | v << 16 | v << 8 | v);
                deep.getRaster().setSample(x, y, 0, v * 257);   // the same grey level in 16 bits
            }
        }
        Path rgbaFile = dir.resolve("film-rgba.png");
        Path deepFile = dir.resolve("film-16bit.png");
        ImageIO.write(rgba, "png", rgbaFile.toFile());
        ImageIO.write(deep, "png", deepFile.toFile());
        double[] p = probabilities(predictJson(work.resolve("model.zip"), FILM));
        double[] pRgba = probabilities(predictJson(work.resolve("model.zip"), rgbaFile));
        double[] pDeep = probabilities(predictJson(work.resolve("model.zip"), deepFile));
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], pRgba[i], 1e-5, "RGBA " + Finding.all().get(i).label());
            assertEquals(p[i], pDeep[i], 1e-5, "16-bit " + Finding.all().get(i).label());
        }
    }

    @Test
    void textOutputListsEveryFindingAndTheMostProbable() {
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "predict", "--model", work.resolve("model.zip").toString(), "--image", FILM.toString()));
        String text = out.toString();
        for (Finding f : Finding.all()) {
            assertTrue(text.contains(f.label()), f.label());
        }
        assertTrue(text.contains("most probable: ") && text.contains("not for diagnosis"), text);
    }

    @Test
    void withOutItWritesTheGradCamOverlaysOfTheTopFindings() throws Exception {
        Path outDir = dir.resolve("overlays");
        StringWriter out = new StringWriter();
        int rc = run(out, "predict", "--model", work.resolve("model.zip").toString(), "--image", FILM.toString(),
                "--json", "--out", outDir.toString(), "--top", "2");
        assertEquals(0, rc, out.toString());
        JsonObject o = new JsonParser().parse(out.toString()).getAsJsonObject();
        Path png = Path.of(o.get("gradcam").getAsString());
        assertEquals(outDir.resolve("00000001_000-gradcam-top2.png"), png);
        BufferedImage figure = ImageIO.read(png.toFile());
        // the film and two maps, 256 pixels each, plus the colour bar
        assertTrue(figure.getWidth() >= 3 * org.cxrworkbook.plot.HeatmapPlots.PANEL, figure.getWidth() + " wide");
        assertTrue(error("--model", work.resolve("model.zip").toString(), "--image", FILM.toString(), "--top", "0")
                .contains("--top must be 1-14, not 0"));
    }

    private static String error(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of("predict"));
        all.addAll(List.of(args));
        all.add("--json");
        int rc = run(out, all.toArray(String[]::new));
        assertEquals(2, rc, out.toString());
        return new JsonParser().parse(out.toString()).getAsJsonObject().get("error").getAsString();
    }

    @Test
    void badInputIsRefusedNamingTheFile() throws Exception {
        String model = work.resolve("model.zip").toString();
        Path missing = dir.resolve("no-such-film.png");
        String e = error("--model", model, "--image", missing.toString());
        assertTrue(e.contains("no-such-film.png") && e.contains("not found"), e);

        byte[] bytes = Files.readAllBytes(FILM);
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        e = error("--model", model, "--image", truncated.toString());
        assertTrue(e.contains("truncated.png"), e);

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not a picture at all\n");
        e = error("--model", model, "--image", text.toString());
        assertTrue(e.contains("notes.png"), e);

        Path notAModel = dir.resolve("not-a-model.zip");
        Files.writeString(notAModel, "hello");
        e = error("--model", notAModel.toString(), "--image", FILM.toString());
        assertTrue(e.contains("not-a-model.zip"), e);
    }

    @Test
    void aModelWithoutItsSettingsOrWithOtherChannelsIsRefused() throws Exception {
        Path lone = Files.createDirectories(dir.resolve("lone"));
        Files.copy(work.resolve("model.zip"), lone.resolve("model.zip"), StandardCopyOption.REPLACE_EXISTING);
        String e = error("--model", lone.resolve("model.zip").toString(), "--image", FILM.toString());
        assertTrue(e.contains("no data-settings.json beside") && e.contains("lone"), e);

        new DataSettings(phantom, 64, 3, 8, 0, 0.2, 42).save(lone);
        e = error("--model", lone.resolve("model.zip").toString(), "--image", FILM.toString());
        assertTrue(e.contains("takes 1-channel films") && e.contains("says 3"), e);
    }
}
