package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.CourseFolderWriter;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.HeadOrder;
import org.cxrworkbook.model.KerasWeights;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/** {@code cxr evaluate} on a course-layout folder made from a phantom, with a Keras model whose head is in course order. */
class EvaluateCommandTest {

    @TempDir
    static Path dir;
    static Path course;
    static Path courseModel;
    static Path alphabeticalModel;

    @BeforeAll
    static void courseFolderAndModels() throws Exception {
        Path phantom = dir.resolve("phantom");
        PhantomGenerator.builder().images(60).size(64).seed(4).threads(2).progress(null).build().generate(phantom);
        ChestXrayDataset source = ChestXrayDataset.load(phantom);
        course = dir.resolve("nih");
        CourseFolderWriter.write(source, source.splits(0.2, 4), course, false);
        ComputationGraph g = DenseNet.build(DenseNetConfig.small().toBuilder().inputSize(64).channels(3)
                .classes(Finding.COUNT).seed(8).build());
        Nd4j.getRandom().setSeed(2);
        g.getLayer(DenseNet.HEAD).getParam("b").assign(Nd4j.randn(DataType.FLOAT, 1, Finding.COUNT));
        courseModel = dir.resolve("course").resolve("pretrained_model.h5");
        KerasWeights.saveFullModel(g, courseModel, "dense", HeadOrder.COURSE);
        alphabeticalModel = dir.resolve("alphabetical.h5");
        KerasWeights.saveFullModel(g, alphabeticalModel, "dense", HeadOrder.ALPHABETICAL);
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static JsonObject evaluate(Path model, String outName, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--model", model.toString(), "--data",
                course.toString(), "--image-size", "64", "--bootstrap", "20", "--out", dir.resolve(outName).toString(), "--json"));
        args.addAll(List.of(extra));
        int rc = run(out, err, args.toArray(String[]::new));
        assertEquals(0, rc, out + "\n" + err);
        return new JsonParser().parse(out.toString()).getAsJsonObject();
    }

    @Test
    void courseModelWithItsOrderMatchesTheSameWeightsInAlphabeticalOrder() throws Exception {
        JsonObject course = evaluate(courseModel, "course");   // order assumed from the file name: course
        assertTrue(course.get("head_order").getAsString().startsWith("head order of 'dense': course (assumed"));
        JsonObject alpha = evaluate(alphabeticalModel, "alpha", "--head-order", "alphabetical");
        assertEquals("course", course.get("layout").getAsString());
        assertEquals(64, course.getAsJsonObject("preprocessing").get("image_size").getAsInt());
        assertEquals(3, course.getAsJsonObject("preprocessing").get("channels").getAsInt());
        List<String> a = Files.readAllLines(dir.resolve("course").resolve("predictions.csv"));
        List<String> b = Files.readAllLines(dir.resolve("alpha").resolve("predictions.csv"));
        assertEquals(a, b);
        assertEquals(course.get("mean_auc").getAsDouble(), alpha.get("mean_auc").getAsDouble(), 0);
        // the course's published values sit next to ours, in the course's order
        JsonObject first = course.getAsJsonArray("findings").get(0).getAsJsonObject();
        assertEquals("Cardiomegaly", first.get("finding").getAsString());
        assertEquals(0.896, first.get("course_auc").getAsDouble(), 0);
        assertEquals(first.get("auc").getAsDouble() - 0.896, first.get("difference").getAsDouble(), 1e-12);

        // the order ignored: the same file read as alphabetical gives other predictions
        evaluate(courseModel, "ignored", "--head-order", "alphabetical");
        assertNotEquals(a, Files.readAllLines(dir.resolve("ignored").resolve("predictions.csv")));
    }

    /** A copy of the fixture with test.csv and images-small/ renamed, as a user's renamed copy of the course folder. */
    static Path renamedCopy(String name) throws Exception {
        Path copy = dir.resolve(name);
        try (var files = Files.walk(course)) {
            for (Path p : files.toList()) {
                Path t = copy.resolve(course.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Files.move(copy.resolve("test.csv"), copy.resolve("test-420.csv"));
        Files.move(copy.resolve("images-small"), copy.resolve("films"));
        return copy;
    }

    private static String error(String... args) {
        StringWriter out = new StringWriter();
        int rc = run(out, new StringWriter(), args);
        assertNotEquals(0, rc, out.toString());
        return new JsonParser().parse(out.toString()).getAsJsonObject().get("error").getAsString();
    }

    @Test
    void renamedCourseFilesAreNamedByOptionsAsInspectTakesThem() throws Exception {
        Path copy = renamedCopy("renamed");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = run(out, err, "evaluate", "--model", courseModel.toString(), "--data", copy.toString(), "--image-size",
                "64", "--bootstrap", "0", "--out", dir.resolve("renamed-out").toString(), "--json", "--test-csv",
                "test-420.csv", "--images-dir", "films");
        assertEquals(0, rc, out + "\n" + err);
        JsonObject o = new JsonParser().parse(out.toString()).getAsJsonObject();
        assertEquals("course", o.get("layout").getAsString());
        long rows = Files.readAllLines(copy.resolve("test-420.csv")).size() - 1;
        assertEquals(rows, o.get("images").getAsLong());
        assertEquals(rows + 1, Files.readAllLines(dir.resolve("renamed-out").resolve("predictions.csv")).size());
        // the same folder without the options: the test CSV and the films are reported missing, named
        String missing = error("evaluate", "--model", courseModel.toString(), "--data", copy.toString(), "--image-size",
                "64", "--json", "--out", dir.resolve("renamed-missing").toString());
        assertTrue(missing.contains("test.csv: missing: the course layout needs train-small.csv, valid-small.csv, "
                + "test.csv and images-small/"), missing);
        String wrongName = error("evaluate", "--model", courseModel.toString(), "--data", copy.toString(), "--image-size",
                "64", "--json", "--images-dir", "films", "--test-csv", "nope.csv", "--out", dir.resolve("nope").toString());
        assertTrue(wrongName.contains("nope.csv: missing"), wrongName);
    }

    @Test
    void aCourseCsvWithAnUnknownLabelIsRefusedNamingFileAndRow() throws Exception {
        Path copy = renamedCopy("unknown-label");
        Path valid = copy.resolve("valid-small.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(valid));
        lines.set(0, lines.get(0).replace("Hernia", "Hernie"));
        Files.write(valid, lines);
        String e = error("evaluate", "--model", courseModel.toString(), "--data", copy.toString(), "--image-size", "64",
                "--json", "--test-csv", "test-420.csv", "--images-dir", "films", "--out", dir.resolve("unknown").toString());
        assertTrue(e.contains("valid-small.csv:1: wrong header: missing columns [Hernia]"), e);
        assertTrue(e.contains("valid-small.csv:1: wrong header: unexpected columns [Hernie]"), e);
    }

    @Test
    void aWrongHeadOrderIsRefusedNamingTheOption() {
        String e = error("evaluate", "--model", courseModel.toString(), "--data", course.toString(), "--image-size", "64",
                "--json", "--head-order", "reverse", "--out", dir.resolve("reverse").toString());
        assertTrue(e.startsWith("--head-order reverse is not allowed: give course, alphabetical or a file listing the 14 "
                + "findings"), e);
    }

    @Test
    void aModelOfAnotherSizeIsRefusedWithBothValues() throws Exception {
        Path work = dir.resolve("work");
        ComputationGraph g = DenseNet.build(DenseNetConfig.small().toBuilder().inputSize(64).channels(1).seed(1).build());
        org.cxrworkbook.train.CheckpointStore.writeModel(g, work.resolve("model.zip"));
        new org.cxrworkbook.train.DataSettings(course, 64, 1, 8, 0, 0.2, 42).save(work);
        StringWriter out = new StringWriter();
        int rc = run(out, new StringWriter(), "evaluate", "--model", work.resolve("model.zip").toString(), "--data",
                course.toString(), "--preprocessing", "course", "--json");
        assertEquals(2, rc);
        String error = new JsonParser().parse(out.toString()).getAsJsonObject().get("error").getAsString();
        assertTrue(error.contains("expects 64² films") && error.contains("gives 320²"), error);
    }
}
