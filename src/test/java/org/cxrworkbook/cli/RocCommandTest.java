package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.eval.Predictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RocCommandTest {

    @TempDir
    Path dir;

    /** 6 images of 3 patients: Atelectasis perfectly ranked, Hernia all 0, others label i % 2 with score i / 10 (AUC 7/9). */
    private Path predictions() {
        List<String> images = new ArrayList<>();
        List<String> patients = new ArrayList<>();
        int[][] y = new int[6][Finding.COUNT];
        double[][] p = new double[6][Finding.COUNT];
        for (int i = 0; i < 6; i++) {
            images.add("0000000" + i + "_000.png");
            patients.add(String.valueOf(i / 2));
            for (Finding f : Finding.all()) {
                y[i][f.ordinal()] = f == Finding.HERNIA ? 0 : f == Finding.ATELECTASIS ? (i < 3 ? 0 : 1) : i % 2;
                p[i][f.ordinal()] = i / 10.0;
            }
        }
        return Predictions.of(images, patients, y, p).write(dir.resolve("predictions.csv"));
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void jsonHasPerFindingAucAndMean() throws Exception {
        StringWriter out = new StringWriter();
        Path json = dir.resolve("metrics/roc.json");
        int rc = run(out, new StringWriter(), "roc", "--predictions", predictions().toString(), "--bootstrap", "50",
                "--seed", "3", "--json", "--out", json.toString());
        assertEquals(0, rc);
        JsonObject j = new JsonParser().parse(out.toString()).getAsJsonObject();
        JsonObject f = j.getAsJsonObject("findings");
        assertEquals(1.0, f.getAsJsonObject("Atelectasis").get("auc").getAsDouble(), 1e-12);
        // positives 1,3,5 vs negatives 0,2,4 (scores i/10): 1+2+3 wins... 1>0; 3>0,2; 5>0,2,4 -> 6 of 9
        assertEquals(6.0 / 9, f.getAsJsonObject("Cardiomegaly").get("auc").getAsDouble(), 1e-12);
        assertTrue(f.getAsJsonObject("Hernia").get("auc").isJsonNull());
        assertEquals(0, f.getAsJsonObject("Hernia").get("n_pos").getAsInt());
        assertEquals(6, f.getAsJsonObject("Hernia").get("n_neg").getAsInt());
        assertEquals((1.0 + 12 * 6.0 / 9) / 13, j.get("mean_auc").getAsDouble(), 1e-12);
        assertTrue(j.has("mean_ci_low") && j.has("mean_ci_high"));
        assertEquals(out.toString().trim(), Files.readString(json).trim());
    }

    @Test
    void tableIsPrinted() {
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "roc", "--predictions", predictions().toString(), "--bootstrap", "0"));
        assertTrue(out.toString().contains("Hernia") && out.toString().contains("n/a"), out.toString());
        assertTrue(out.toString().contains("0.667"), out.toString());
    }

    @Test
    void badFileGivesAClearErrorAndExitCode2() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "Image Index,Patient ID\n");
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "roc", "--predictions", bad.toString()));
        assertTrue(err.toString().contains("bad.csv:1: missing column(s): Atelectasis"), err.toString());
    }
}
