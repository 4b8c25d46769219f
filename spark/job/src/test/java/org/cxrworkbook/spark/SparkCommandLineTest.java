package org.cxrworkbook.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.cli.ErrorReport;
import org.cxrworkbook.train.DataSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The Spark commands as the launcher runs them ({@link SparkMain#commandLine()}): with {@code --json} stdout is one
 * JSON document whether the job ran or was refused (unreachable master, a model that does not take the size), and a
 * run with unreadable films lists them with their Data_Entry rows in that document.
 */
class SparkCommandLineTest {

    @TempDir
    static Path dir;
    static SparkFixture fx;

    @BeforeAll
    static void setUp() {
        fx = SparkFixture.create(dir);
    }

    record Run(int status, String out, String err) {
        Map<?, ?> json() {
            assertTrue(out.strip().startsWith("{") && out.strip().endsWith("}"), "stdout is not one JSON document: " + out);
            try {
                return new ObjectMapper().readValue(out, Map.class);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out, e);
            }
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = SparkMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void sparkFeaturesThenTrainWithTheSameOptionsIsACacheHit() {
        Path work = dir.resolve("features-work");
        Run f = run("spark-features", "--master", "local[2]", "--data", fx.data.toString(), "--base", fx.model.toString(),
                "--out", work.toString(), "--small", "--size", String.valueOf(SparkFixture.SIZE), "--json");
        assertEquals(0, f.status(), f.err());
        Map<?, ?> json = f.json();
        assertEquals(SparkFixture.IMAGES, ((Number) json.get("forwarded")).intValue());
        assertTrue(Files.isRegularFile(work.resolve("feature-cache").resolve("manifest.json")));

        long forwards = org.cxrworkbook.train.StagedTraining.baseForwardBatches();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        int status;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try { // the words a user types for ./cxr train, run by the workbook's own command line
            status = org.cxrworkbook.cli.Main.commandLine().execute("train", "--data", fx.data.toString(), "--work",
                    work.toString(), "--weights", fx.model.toString(), "--small", "--size", String.valueOf(SparkFixture.SIZE),
                    "--stage1-epochs", "1", "--stage2-epochs", "0", "--quiet");
        } finally {
            System.setErr(oldErr);
        }
        String log = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, status, log);
        assertTrue(log.contains("feature cache: reused " + work.resolve("feature-cache")), log);
        assertEquals(forwards, org.cxrworkbook.train.StagedTraining.baseForwardBatches(), "no base forward pass in train");
        assertTrue(Files.isRegularFile(work.resolve("model.zip")));
    }

    @Test
    void anUnreachableMasterIsOneJsonErrorNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "spark://127.0.0.1:" + port;
        Run r = run("spark-predict", "--master", url, "--connect-timeout", "1", "--model", fx.model.toString(),
                "--data", fx.data.toString(), "--out", dir.resolve("never.csv").toString(), "--json");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
        String error = (String) r.json().get("error");
        assertTrue(error.contains("cannot reach the Spark master " + url) && error.contains("master is running"), error);
        assertFalse(Files.exists(dir.resolve("never.csv")));

        Run plain = run("spark-predict", "--master", url, "--connect-timeout", "1", "--model", fx.model.toString(),
                "--data", fx.data.toString(), "--out", dir.resolve("never.csv").toString());
        assertEquals(ErrorReport.BAD_INPUT, plain.status());
        assertEquals("", plain.out());
        assertTrue(plain.err().startsWith("cxr spark-predict: cannot reach the Spark master " + url), plain.err());
        assertFalse(plain.err().contains("\tat "), "no stack trace for bad input: " + plain.err());
    }

    @Test
    void aModelThatDoesNotTakeTheSizeIsOneJsonErrorNamingTheLayer() throws IOException {
        Path work = dir.resolve("tiny");
        new DataSettings(fx.data, 16, 3, 8, 0, 0.2, 42).save(work);
        Files.copy(fx.model, work.resolve("model.zip"));
        Run r = run("spark-predict", "--model", work.resolve("model.zip").toString(), "--data", fx.data.toString(),
                "--out", dir.resolve("tiny.csv").toString(), "--json");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
        String error = (String) r.json().get("error");
        assertTrue(error.contains("does not take 16×16 images") && error.contains("'pool4_pool'"), error);
        assertFalse(Files.exists(dir.resolve("tiny.csv")));
    }

    @Test
    void unreadableFilmsAreListedWithTheirRowsInTheJson() throws IOException {
        Path archive = SparkFixture.copyArchive(fx.data, dir.resolve("holes"));
        String seventh = Files.readAllLines(archive.resolve("Data_Entry_2017_v2020.csv")).get(6).split(",")[0];
        Files.write(archive.resolve("images").resolve(seventh), new byte[] {1, 2, 3});
        Path out = dir.resolve("holes.csv");
        Run r = run("spark-predict", "--master", "local[2]", "--model", fx.model.toString(), "--data", archive.toString(),
                "--out", out.toString(), "--partitions", "3", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> json = r.json();
        assertEquals(SparkFixture.IMAGES - 1, ((Number) json.get("rows_written")).intValue());
        assertEquals(1, ((Number) json.get("missing")).intValue());
        List<?> missing = (List<?>) json.get("missing_films");
        assertEquals(1, missing.size());
        Map<?, ?> m = (Map<?, ?>) missing.get(0);
        assertEquals("Data_Entry_2017_v2020.csv", m.get("file"));
        assertEquals(7, ((Number) m.get("row")).intValue());
        assertTrue(((String) m.get("message")).startsWith("image " + seventh + " could not be read"), m.toString());
        assertTrue(r.err().contains("missing: Data_Entry_2017_v2020.csv:7: image " + seventh), r.err());
        assertEquals(SparkFixture.IMAGES, Files.readAllLines(out).size()); // header + the films read
    }
}
