package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input on the command line: every command with --json prints one JSON document even when it fails, and
 * without --json one message naming the file, row or option, no stack trace.
 */
class BadInputCommandsTest {

    @TempDir
    Path dir;

    private static final String HEADER = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,"
            + "Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]";

    /** Exit status, stdout (System.out and the command line's writer) and stderr of one run. */
    record Run(int status, String out, String err) {
        JsonObject json() {
            // the whole of stdout must be one JSON document
            assertTrue(out.strip().startsWith("{") && out.strip().endsWith("}"), "stdout is not JSON: " + out);
            return new JsonParser().parse(out).getAsJsonObject();
        }
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int status = cl.execute(args);
            return new Run(status, sysOut.toString(StandardCharsets.UTF_8) + out,
                    sysErr.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void inspectMissingDataFolderIsJsonNamingTheFolder() {
        Path missing = dir.resolve("no-such-folder");
        Run r = run("inspect", "--data", missing.toString(), "--json");
        assertEquals(1, r.status());
        String problem = r.json().getAsJsonArray("problems").get(0).getAsJsonObject().get("file").getAsString()
                + " " + r.json().getAsJsonArray("problems").get(0).getAsJsonObject().get("message").getAsString();
        assertTrue(problem.contains("no-such-folder") && problem.contains("not found"), problem);
    }

    @Test
    void trainAndGradcamWithAMissingDataFolderNameItWithoutAStackTrace() {
        Path missing = dir.resolve("no-such-folder");
        Run train = run("train", "--data", missing.toString(), "--work", dir.resolve("work").toString(), "--quiet");
        assertEquals(ErrorReport.BAD_INPUT, train.status());
        assertTrue(train.err().contains("no-such-folder"), train.err());
        assertFalse(train.err().contains("\tat org."), "no stack trace: " + train.err());
        assertFalse(Files.exists(dir.resolve("work").resolve("model.zip")));
    }

    @Test
    void gradcamWithAMissingModelIsJsonNamingTheFile() {
        Run r = run("gradcam", "--model", dir.resolve("nothing.zip").toString(), "--json");
        assertEquals(ErrorReport.BAD_INPUT, r.status());
        assertTrue(r.json().get("error").getAsString().contains("nothing.zip"), r.out());
        assertEquals("gradcam", r.json().get("command").getAsString());
    }

    @Test
    void aPngGivenAsModelNamesTheFile() throws Exception {
        Path png = dir.resolve("film.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        Run r = run("gradcam", "--model", png.toString(), "--json");
        assertEquals(ErrorReport.BAD_INPUT, r.status());
        String e = r.json().get("error").getAsString();
        assertTrue(e.contains("film.png") && e.contains("not a model"), e);
    }

    @Test
    void rocMissingPredictionsAndBadOptionValueAreJson() {
        Run missing = run("roc", "--predictions", dir.resolve("none.csv").toString(), "--json");
        assertEquals(ErrorReport.BAD_INPUT, missing.status());
        assertTrue(missing.json().get("error").getAsString().contains("none.csv"), missing.out());
        Run badValue = run("roc", "--predictions", "p.csv", "--bootstrap", "many", "--json");
        assertEquals(ErrorReport.BAD_INPUT, badValue.status());
        assertTrue(badValue.json().get("error").getAsString().contains("--bootstrap"), badValue.out());
    }

    @Test
    void rocPrintsNoPicocliWarning() {
        Run r = run("roc", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("95% CIs"), r.out());
        assertFalse(r.err().contains("picocli WARN"), r.err());
    }

    @Test
    void summaryBadOptionIsJson() {
        Run r = run("summary", "--size", "-3x", "--json");
        assertEquals(ErrorReport.BAD_INPUT, r.status());
        assertTrue(r.json().get("error").getAsString().contains("--size"), r.out());
    }

    @Test
    void inspectUnbalancedQuoteIsOneProblemWithItsRowInJson() throws Exception {
        Files.createDirectories(dir.resolve("images"));
        byte[] png = pngBytes();
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 3; i++) {
            String name = String.format("%08d_000.png", i);
            Files.write(dir.resolve("images").resolve(name), png);
            csv.append(name).append(i == 2 ? ",\"Mass" : ",Mass").append(',').append("0,").append(i)
                    .append(",40,F,PA,2500,2048,0.14,0.14\n");
        }
        Files.writeString(dir.resolve("Data_Entry_2017_v2020.csv"), csv);
        Run r = run("inspect", "--data", dir.toString(), "--json");
        assertEquals(1, r.status());
        var problems = r.json().getAsJsonArray("problems");
        assertEquals(1, problems.size(), r.out());
        JsonObject p = problems.get(0).getAsJsonObject();
        assertEquals("Data_Entry_2017_v2020.csv", p.get("file").getAsString());
        assertEquals(3, p.get("row").getAsInt());
        assertTrue(p.get("message").getAsString().contains("unbalanced quote"), p.toString());
        assertEquals(2, r.json().get("images").getAsInt(), "the other rows are still read");
    }

    @Test
    void missingImagesAreOneGroupedProblemWithACount() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 12; i++) {
            csv.append(String.format("%08d_000.png", i)).append(",Mass,0,").append(i)
                    .append(",40,F,PA,2500,2048,0.14,0.14\n");
        }
        Files.writeString(dir.resolve("Data_Entry_2017_v2020.csv"), csv);
        Run r = run("inspect", "--data", dir.toString(), "--json");
        var problems = r.json().getAsJsonArray("problems");
        assertEquals(1, problems.size(), r.out());
        String m = problems.get(0).getAsJsonObject().get("message").getAsString();
        assertTrue(m.startsWith("12 of 12 images missing under images/") && m.contains("first 5: 00000001_000.png (row 2)")
                && m.contains("00000005_000.png (row 6)") && !m.contains("00000006_000.png"), m);
    }

    @Test
    void gradcamImagesZeroOrNegativeNamesTheOption() {
        for (String n : new String[] {"0", "-1"}) {
            Run r = run("gradcam", "--model", dir.resolve("m.zip").toString(), "--images", n, "--json");
            assertEquals(ErrorReport.BAD_INPUT, r.status());
            String e = r.json().get("error").getAsString();
            assertTrue(e.contains("--images") && e.contains(">= 1") && e.contains(n), e);
        }
    }

    @Test
    void splitValOutsideZeroOneNamesTheOptionAndTheValueGiven() {
        Run r = run("split", "--data", dir.toString(), "--val", "1.5");
        assertEquals(ErrorReport.BAD_INPUT, r.status());
        assertTrue(r.err().contains("--val") && r.err().contains("1.5") && !r.err().contains("-0.5"), r.err());
        assertFalse(Files.exists(dir.resolve("train_list.txt")), "nothing written");
    }

    static byte[] pngBytes() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", b);
        return b.toByteArray();
    }
}
