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
                "--small", "--size", "64", "--epochs", "1", "--batch", "8", "--quiet", "--seed", "3");
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
