package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output folder that cannot be written is named before any long work (tests run as root, which ignores
 * permission bits: the folder's parent is a regular file instead).
 */
class UnwritableOutputTest {

    @TempDir
    Path dir;

    @Test
    void trainNamesAnUnwritableWorkFolderBeforeReadingAnyData() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a regular file");
        Path work = blocker.resolve("work");
        long t0 = System.nanoTime();
        BadInputCommandsTest.Run r = BadInputCommandsTest.run("train", "--data", dir.resolve("no-data").toString(),
                "--work", work.toString(), "--small", "--single-stage", "--scratch", "--quiet");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.err());
        assertTrue(r.err().contains("cxr train: cannot write into the work folder " + work + ": "), r.err());
        assertTrue(r.err().contains("checked before starting, so no work was lost"), r.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "refused before any work");
    }

    @Test
    void evaluateJsonNamesAnUnwritableOutFolder() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a regular file");
        Path model = Files.writeString(dir.resolve("model.zip"), "not read: the --out folder is checked first");
        Path out = blocker.resolve("evaluate");
        BadInputCommandsTest.Run r = BadInputCommandsTest.run("evaluate", "--model", model.toString(), "--data",
                dir.toString(), "--out", out.toString(), "--json");
        assertEquals(ErrorReport.BAD_INPUT, r.status(), r.out() + r.err());
        JsonObject j = r.json();
        assertTrue(j.get("error").getAsString().startsWith("cannot write into the --out folder " + out + ": "), j.toString());
    }
}
