package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.train.DataSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `train` then `gradcam` end to end on a tiny phantom set: files written, settings reused, errors named. */
class TrainAndGradCamCommandsTest {

    @TempDir
    static Path dir;

    private static Path data;
    private static Path work;

    @BeforeAll
    static void trainOnce() {
        data = dir.resolve("phantom");
        work = dir.resolve("work");
        PhantomGenerator.builder().images(90).size(64).seed(5).threads(2).progress(null).build().generate(data);
        int rc = new CommandLine(new Main()).execute("train", "--data", data.toString(), "--work", work.toString(),
                "--small", "--single-stage", "--size", "64", "--epochs", "1", "--batch", "8", "--quiet", "--seed", "3");
        assertEquals(0, rc, "train exit code");
    }

    @Test
    void trainWritesModelHistoryFigureAndDataSettings() {
        assertTrue(Files.isRegularFile(work.resolve("model.zip")));
        assertTrue(Files.isRegularFile(work.resolve("history.json")));
        assertTrue(Files.isRegularFile(work.resolve("figures/training-curves.png")));
        DataSettings s = DataSettings.read(work);
        assertEquals(64, s.imageSize());
        assertEquals(3, s.seed());
        assertEquals(data.toAbsolutePath().normalize(), s.dataDir());
    }

    @Test
    void stagedTrainingFromTheCommittedBaseSavesTheWholeNetworkAndItsFeatureCache() throws Exception {
        Path staged = dir.resolve("staged");
        int rc = new CommandLine(new Main()).execute("train", "--data", data.toString(), "--work", staged.toString(),
                "--small", "--size", "32", "--stage1-epochs", "2", "--stage2-epochs", "1", "--quiet", "--seed", "3");
        assertEquals(0, rc, "staged train exit code");
        var model = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(staged.resolve("model.zip").toFile(), false);
        var fresh = org.cxrworkbook.model.DenseNet.build(org.cxrworkbook.model.DenseNetConfig.small().toBuilder().inputSize(32).build());
        assertEquals(fresh.numParams(), model.numParams());
        assertTrue(Files.isRegularFile(staged.resolve("feature-cache").resolve("manifest.json")));
        assertEquals(3, org.cxrworkbook.train.TrainingHistory.load(staged.resolve("history.json")).size());
        // --epochs belongs to the single-stage trainer: refused with the staged recipe, naming the options
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        assertNotEquals(0, cl.execute("train", "--data", data.toString(), "--work", staged.toString(), "--small", "--epochs", "2"));
        assertTrue(err.toString().contains("--stage1-epochs"), err.toString());
    }

    @Test
    void gradcamScoresTestImagesWithBoxesUsingTheTrainingSettings() {
        String out = captureStdout(() -> assertEquals(0, new CommandLine(new Main()).execute("gradcam", "--model",
                work.resolve("model.zip").toString(), "--images", "4", "--json")));
        JsonObject j = new JsonParser().parse(out.substring(out.indexOf('{'))).getAsJsonObject();
        int scored = j.get("images_scored").getAsInt();
        assertTrue(scored >= 1 && scored <= 4, "images scored: " + scored);
        JsonObject all = j.getAsJsonObject("findings").getAsJsonObject("All");
        double pointing = all.get("pointing").getAsDouble();
        assertTrue(pointing >= 0 && pointing <= 1, "pointing " + pointing);
    }

    /**
     * Issue 10's reproduction: the same set twice, once with Data_Entry's OriginalImage/PixelSpacing columns set
     * to a real NIH row's 2682,2749,0.143,0.143. Boxes are in PNG pixels, so the scores must not move.
     */
    @Test
    void gradcamScoresDoNotDependOnDataEntrysOriginalImageSize() throws Exception {
        Path copy = dir.resolve("phantom-dicom-size");
        Files.createDirectories(copy);
        for (String f : new String[] {"BBox_List_2017.csv", "train_val_list.txt", "test_list.txt"}) {
            Files.copy(data.resolve(f), copy.resolve(f));
        }
        Files.createSymbolicLink(copy.resolve("images"), data.resolve("images").toAbsolutePath());
        java.util.List<String> lines = Files.readAllLines(data.resolve("Data_Entry_2017_v2020.csv"));
        StringBuilder sb = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            f[7] = "2682";
            f[8] = "2749";
            f[9] = "0.143";
            f[10] = "0.143";
            sb.append(String.join(",", f)).append('\n');
        }
        Files.writeString(copy.resolve("Data_Entry_2017_v2020.csv"), sb);
        String model = work.resolve("model.zip").toString();
        String asIs = captureStdout(() -> assertEquals(0, new CommandLine(new Main()).execute("gradcam", "--model",
                model, "--data", data.toString(), "--images", "6", "--json")));
        String dicom = captureStdout(() -> assertEquals(0, new CommandLine(new Main()).execute("gradcam", "--model",
                model, "--data", copy.toString(), "--images", "6", "--json")));
        assertTrue(asIs.contains("\"pointing\""), asIs);
        assertEquals(asIs, dicom);
    }

    @Test
    void gradcamUnknownLayerListsTheValidNames() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("gradcam", "--model", work.resolve("model.zip").toString(), "--layer", "no_such_layer");
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("no_such_layer") && err.toString().contains("conv1/conv"), err.toString());
    }

    private static String captureStdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
