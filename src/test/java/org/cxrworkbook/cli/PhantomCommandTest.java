package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PhantomCommandTest {

    @TempDir
    Path dir;

    @Test
    void generatesTheNihLayout() throws IOException {
        Path out = dir.resolve("phantom");
        int rc = new CommandLine(new Main()).execute("phantom", "--out", out.toString(), "--images", "10", "--size", "64",
                "--seed", "3", "--site", "B", "--threads", "1", "--quiet");
        assertEquals(0, rc);
        assertEquals(11, Files.readAllLines(out.resolve("Data_Entry_2017_v2020.csv")).size());
        assertTrue(Files.exists(out.resolve("BBox_List_2017.csv")));
        assertEquals(10, Files.readAllLines(out.resolve("train_val_list.txt")).size()
                + Files.readAllLines(out.resolve("test_list.txt")).size());
        try (var files = Files.list(out.resolve("images"))) {
            assertEquals(10, files.count());
        }
    }

    @Test
    void theCourseLayoutKeepsThePhantomMark() throws IOException {
        Path out = dir.resolve("course");
        int rc = new CommandLine(new Main()).execute("phantom", "--out", out.toString(), "--layout", "course", "--images",
                "24", "--size", "32", "--seed", "3", "--threads", "1", "--quiet");
        assertEquals(0, rc);
        for (String f : new String[] {"train-small.csv", "valid-small.csv", "test.csv", "images-small", "phantom.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertFalse(Files.exists(dir.resolve("course.nih-tmp")), "the NIH-layout intermediate is removed");
        org.cxrworkbook.data.ChestXrayDataset ds = org.cxrworkbook.data.ChestXrayDataset.load(out);
        assertTrue(ds.isCourse());
        assertEquals(24, ds.records().size());
        // a synthetic course folder is known as such (notebook 07 does not compare it with CheXNet as real films)
        assertTrue(new org.cxrworkbook.train.DataSettings(out, 32, 1, 8, 0, 0.2, 3).phantom());
    }

    @Test
    void theAttenuationRendererIsAnOptionAndAnUnknownRendererIsRefusedNamingTheAllowedValues() throws IOException {
        Path out = dir.resolve("att");
        int rc = new CommandLine(new Main()).execute("phantom", "--out", out.toString(), "--images", "6", "--size", "64",
                "--seed", "3", "--threads", "1", "--quiet", "--renderer", "attenuation");
        assertEquals(0, rc);
        assertTrue(Files.readString(out.resolve("phantom.json")).contains("\"renderer\": \"attenuation\""));
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new Main()).execute("phantom", "--out", dir.resolve("x").toString(), "--renderer", "raytrace");
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        String message = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(message.contains("classic, attenuation") && message.contains("raytrace"), message);
        assertFalse(Files.exists(dir.resolve("x")), "nothing written for a refused option");
    }

    @Test
    void rejectsAnUnknownSite() {
        int rc = new CommandLine(new Main()).execute("phantom", "--out", dir.toString(), "--site", "C");
        assertNotEquals(0, rc);
    }
}
