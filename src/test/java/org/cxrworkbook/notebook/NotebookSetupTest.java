package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookSetupTest {

    @Test
    void withoutRapaioNothingIsChanged() {
        assertFalse(NotebookSetup.plainTextOnRapaio(NotebookSetupTest.class.getClassLoader()));
    }

    /** A stand-in with rapaio's shape (Global.options().set(key, value)), compiled here, receives the switch. */
    @Test
    void onRapaioTheDefaultMimeBecomesPlainText(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/org/rapaio/jupyter/kernel/global");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Global.java"), """
                package org.rapaio.jupyter.kernel.global;
                public class Global {
                    public static final java.util.Map<String, String> SET = new java.util.concurrent.ConcurrentHashMap<>();
                    public static Options options() { return new Options(); }
                    public static class Options {
                        public void set(String key, String value) { SET.put(key, value); }
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        assertEquals(0, javac.run(null, null, null, "-d", out.toString(), src.resolve("Global.java").toString()));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, null)) {
            assertTrue(NotebookSetup.plainTextOnRapaio(loader));
            @SuppressWarnings("unchecked")
            Map<String, String> set = (Map<String, String>) loader.loadClass(NotebookSetup.RAPAIO_GLOBAL)
                    .getField("SET").get(null);
            assertEquals(Map.of("display.defaultMime", "text/plain"), Map.copyOf(set));
        }
    }

    @Test
    void frameworkLoggingIsSetToWarnUnlessChosenAlready() {
        String before = System.getProperty(NotebookSetup.LOG_LEVEL_PROPERTY);
        try {
            System.clearProperty(NotebookSetup.LOG_LEVEL_PROPERTY);
            NotebookSetup.quiet();
            assertEquals("warn", System.getProperty(NotebookSetup.LOG_LEVEL_PROPERTY));
            System.setProperty(NotebookSetup.LOG_LEVEL_PROPERTY, "debug");
            NotebookSetup.quiet();
            assertEquals("debug", System.getProperty(NotebookSetup.LOG_LEVEL_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(NotebookSetup.LOG_LEVEL_PROPERTY);
            } else {
                System.setProperty(NotebookSetup.LOG_LEVEL_PROPERTY, before);
            }
        }
    }
}
