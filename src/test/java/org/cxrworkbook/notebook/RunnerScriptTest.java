package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python unit tests of the notebook runner (environment/tests: failing-cell messages on rapaio and
 * IJava, the kernel facts written to run.json) with Debian's python3, so they are part of the JUnit suite.
 */
class RunnerScriptTest {

    @Test
    void runnerUnitTestsPass() throws IOException, InterruptedException {
        assumeTrue(run("/usr/bin/python3", "-c", "import nbformat, nbclient, nbconvert").exitValue() == 0,
                "Jupyter's Python packages are not installed (environment/install.sh installs them)");
        Process p = run("/usr/bin/python3", "-m", "unittest", "discover", "-s", "environment/tests");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
    }

    private static Process run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return p;
    }
}
