package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOpsCommandTest {

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BenchOpsCommand()).setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[] {String.valueOf(rc), err.toString()};
    }

    @Test
    void tooSmallSizeIsRefusedByName() {
        String[] r = run("--sizes", "16", "--no-torch");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--sizes: 16") && r[1].contains("at least 32"), r[1]);
    }

    @Test
    void batchOfOneIsRefused() {
        String[] r = run("--batch", "1", "--no-torch");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--batch must be at least 2"), r[1]);
    }

    @Test
    void workerClassExists() throws Exception {
        // the worker is named as a string (it needs oneDNN's jars, which the cxr JVM does not load)
        assertEquals(BenchOpsCommand.WORKER, Class.forName(BenchOpsCommand.WORKER).getName());
    }
}
