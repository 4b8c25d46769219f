package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The default build's classpath, which the notebooks load ({@code %jars ../target/lib/}) and the launcher's Java
 * commands use, holds no Spark or Scala jar: Spark lives in its own module ({@code spark/job}, jars in
 * {@code spark/job/target/spark-lib}); nor does the Class-Path of {@code target/cxr-workbook-notebook.jar}, the one jar a
 * notebook's setup cell loads.
 */
class NoSparkOnClasspathTest {

    /** Spark's own jars, Scala's runtime, and the libraries only Spark brings in. */
    private static final Pattern SPARK_ONLY = Pattern.compile(
            "(spark-[a-z-]+_2\\.1[0-9]|scala-(library|reflect)|netty-all|hadoop-client|log4j-slf4j2-impl|json4s)-.*\\.jar");

    @Test
    void targetLibHasTheWorkbookJarsAndNoSparkJar() throws IOException {
        Path lib = Path.of("target/lib");
        assertTrue(Files.isDirectory(lib), "target/lib is built by mvn compile (copy-deps)");
        List<String> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("deeplearning4j-nn-")), "DL4J is there: " + jars.size() + " jars");
        assertEquals(List.of(), jars.stream().filter(n -> SPARK_ONLY.matcher(n).matches()).toList());
    }

    @Test
    void theNotebooksOneJarClassPathListsNoSparkJar() throws IOException {
        Path jar = Path.of("target/cxr-workbook-notebook.jar");
        assertTrue(Files.isRegularFile(jar), "target/cxr-workbook-notebook.jar is built by mvn compile");
        String classPath;
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            classPath = j.getManifest().getMainAttributes().getValue("Class-Path");
        }
        List<String> entries = List.of(classPath.trim().split("\\s+"));
        assertTrue(entries.contains("classes/"), classPath);
        assertTrue(entries.stream().anyMatch(e -> e.startsWith("lib/deeplearning4j-nn-")), "DL4J is on it: " + entries.size());
        assertEquals(List.of(), entries.stream().filter(e -> SPARK_ONLY.matcher(e.replaceFirst("^lib/", "")).matches()).toList());
    }

    @Test
    void thePatternRecognisesSparkJars() {
        for (String n : List.of("spark-core_2.12-3.5.6.jar", "spark-network-common_2.13-3.5.1.jar",
                "scala-library-2.12.18.jar", "netty-all-4.1.96.Final.jar", "hadoop-client-api-3.3.4.jar")) {
            assertTrue(SPARK_ONLY.matcher(n).matches(), n);
        }
        assertTrue(!SPARK_ONLY.matcher("deeplearning4j-core-1.0.0-M2.1.jar").matches());
    }
}
