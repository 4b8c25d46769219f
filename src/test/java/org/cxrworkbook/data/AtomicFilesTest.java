package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output written whole or not at all. Tests run as root, which ignores permission bits, so failures are made
 * deterministically: a writer that fails half-way (as a full disk does) and a folder whose parent is a regular file.
 */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailureHalfWayLeavesThePreviousFileAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("history.json");
        Files.writeString(file, "{\"previous\": true}");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.write(file, out -> {
            out.write("{\"epochs\": [1, 2".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + file + ": IOException: No space left on device (nothing written; any previous "
                + "history.json is unchanged)", e.getMessage());
        assertEquals("{\"previous\": true}", Files.readString(file));
        assertEquals(List.of("history.json"), names());
    }

    @Test
    void aBugInTheWriterAlsoLeavesNoPartialFile() throws Exception {
        Path file = dir.resolve("predictions.csv");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[1000]);
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of(), names(), "neither the target nor a temporary file");
    }

    @Test
    void successReplacesTheFileWhole() throws Exception {
        Path file = dir.resolve("roc.json");
        Files.writeString(file, "old");
        AtomicFiles.writeString(file, "new content");
        assertEquals("new content", Files.readString(file));
        assertEquals(List.of("roc.json"), names());
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file),
                "readable like any new file (umask), not owner-only like a JDK temporary file");
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamedWithTheReason() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("output"), "a regular file");
        Path file = notAFolder.resolve("metrics").resolve("roc.json");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.writeString(file, "{}"));
        assertTrue(e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
        OutputException early = assertThrows(OutputException.class,
                () -> AtomicFiles.requireWritableFolder(notAFolder.resolve("work"), "the work folder"));
        assertTrue(early.getMessage().startsWith("cannot write into the work folder " + notAFolder.resolve("work") + ": "),
                early.getMessage());
        assertEquals(List.of("output"), names());
    }
}
