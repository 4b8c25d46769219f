package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandsTest {

    @TempDir
    Path dir;

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(new Main()).execute(args);
            return new Run(status, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    private void dataset() {
        String header = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
                + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]";
        StringBuilder csv = new StringBuilder(header).append('\n');
        StringBuilder test = new StringBuilder();
        try {
            Files.createDirectories(dir.resolve("images"));
            byte[] png = pngBytes();
            for (int p = 1; p <= 20; p++) {
                for (int k = 0; k < 1 + p % 3; k++) {
                    String name = String.format("%08d_%03d.png", p, k);
                    csv.append(name).append(',').append(p % 4 == 0 ? "Mass" : "No Finding").append(',').append(k)
                            .append(',').append(p).append(",40,F,PA,2048,2048,0.14,0.14\n");
                    Files.write(dir.resolve("images").resolve(name), png);
                    if (p > 16) {
                        test.append(name).append('\n');
                    }
                }
            }
            Files.writeString(dir.resolve("Data_Entry_2017_v2020.csv"), csv);
            Files.writeString(dir.resolve("test_list.txt"), test);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pngBytes() throws Exception {
        var img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void inspectPrintsJsonAndExitsZeroWhenClean() {
        dataset();
        Run r = run("inspect", "--data", dir.toString(), "--json");
        assertEquals(0, r.status(), r.out());
        // 20 patients with 1 + p % 3 images: 7 patients × 2 + 7 × 3 + 6 × 1 = 41
        assertTrue(r.out().contains("\"images\": 41,"), r.out());
        assertTrue(r.out().contains("\"patients\": 20,"), r.out());
        assertTrue(r.out().contains("\"Mass\": 11,"), r.out()); // patients 4,8,12,16,20 → 2+3+1+2+3 images
        assertTrue(r.out().contains("\"test\": {\"images\": 9, \"patients\": 4}"), r.out());
    }

    @Test
    void inspectExitsNonZeroOnProblems() throws Exception {
        dataset();
        Files.delete(dir.resolve("images/00000003_000.png"));
        Run r = run("inspect", "--data", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("Data_Entry_2017_v2020.csv:"), r.out());
        assertTrue(r.out().contains("image file images/00000003_000.png not found"), r.out());
    }

    @Test
    void splitWritesListsAndReportsNoOverlap() throws Exception {
        dataset();
        Path out = dir.resolve("splits");
        Run r = run("split", "--data", dir.toString(), "--val", "0.25", "--seed", "42", "--out", out.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("patient overlap: none"), r.out());
        List<String> test = Files.readAllLines(out.resolve("test_list.txt"));
        assertEquals(Files.readAllLines(dir.resolve("test_list.txt")), test);
        int train = Files.readAllLines(out.resolve("train_list.txt")).size();
        int val = Files.readAllLines(out.resolve("val_list.txt")).size();
        assertEquals(41 - 9, train + val); // test = patients 17..20: 3 + 1 + 2 + 3 images
        assertTrue(val >= 4 && val <= 12, "val " + val);
        Run again = run("split", "--data", dir.toString(), "--val", "0.25", "--seed", "42", "--out", out.toString());
        assertEquals(r.out(), again.out());
    }
}
