package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchImagesCommandTest {

    @Test
    void tinyRunPrintsTheTable() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new Main()).execute("bench-images", "--images", "2", "--source-size", "64", "--sizes", "32",
                    "--threads", "1", "--rounds", "1", "--cached-loops", "1", "--no-python");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("| 32² | 1 | cold |"), out);
        assertTrue(out.contains("| 32² | 1 | cached |"), out);
    }
}
