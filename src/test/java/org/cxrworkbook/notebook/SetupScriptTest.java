package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * Evaluates environment/setup.jshell in JShell with the notebook's class path as the setup cell adds it — the one
 * manifest-only jar target/cxr-workbook-notebook.jar, whose Class-Path names target/classes and every jar of
 * target/lib — so JShell's compiler must follow the manifest: every import must resolve.
 * The one tolerated error is a module package that has no class yet (only package-info.java), which
 * JShell reports as "does not exist"; once the package has a class it must import cleanly.
 */
class SetupScriptTest {

    private static final Path SCRIPT = Path.of("environment/setup.jshell");
    private static final Path NOTEBOOK_JAR = Path.of("target/cxr-workbook-notebook.jar");
    private static final Pattern MISSING_PACKAGE = Pattern.compile("package (org\\.cxrworkbook\\.\\w+) does not exist");

    @Test
    void everyImportResolvesOnTheNotebookClassPath() throws IOException {
        List<String> errors = new ArrayList<>();
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(NOTEBOOK_JAR.toAbsolutePath().toString());
            for (String snippet : snippets(shell, Files.readString(SCRIPT))) {
                for (SnippetEvent e : shell.eval(snippet)) {
                    if (e.status() == Snippet.Status.REJECTED || e.exception() != null) {
                        String why = shell.diagnostics(e.snippet()).map(d -> d.getMessage(null))
                                .collect(Collectors.joining("; "));
                        errors.add(snippet.strip() + " -> " + (e.exception() != null ? e.exception() : why));
                    }
                }
            }
        }
        for (String error : errors) {
            Matcher m = MISSING_PACKAGE.matcher(error);
            assertTrue(m.find() && hasNoClassYet(m.group(1)), "setup.jshell: " + error);
        }
    }

    @Test
    void importsTheWorkbookStagesAndLoadsParameters() throws IOException {
        String script = Files.readString(SCRIPT);
        for (String stage : List.of("data", "image", "model", "train", "eval", "explain", "plot", "notebook")) {
            assertTrue(script.contains("import org.cxrworkbook." + stage + ".*;"), stage);
        }
        assertFalse(Pattern.compile("(?m)^import java\\.util\\.\\*;").matcher(script).find(),
                "re-importing java.util.* removes rapaio's display(...)");
        List<String> lines = script.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).toList();
        assertEquals("Params.loadEnvironment();", lines.get(lines.size() - 1));
        assertEquals("NotebookSetup.quiet();", lines.get(lines.size() - 2), "quiet output before any framework class loads");
    }

    @Test
    void theNotebookJarListsTheClassesFolderAndEveryLibraryJar() throws IOException {
        java.util.jar.Manifest manifest;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(NOTEBOOK_JAR.toFile())) {
            manifest = jar.getManifest();
            assertEquals(1, jar.stream().filter(e -> !e.isDirectory()).count(), "manifest only");
        }
        List<String> classPath = List.of(manifest.getMainAttributes().getValue("Class-Path").split(" "));
        List<String> libJars;
        try (Stream<Path> jars = Files.list(Path.of("target/lib"))) {
            libJars = jars.map(p -> "lib/" + p.getFileName()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
        assertTrue(classPath.contains("classes/"), classPath.toString());
        assertEquals(libJars, classPath.stream().filter(e -> e.startsWith("lib/")).sorted().toList());
        for (String entry : classPath) {
            assertTrue(Files.exists(NOTEBOOK_JAR.getParent().resolve(entry)), entry);
        }
    }

    private static boolean hasNoClassYet(String pkg) throws IOException {
        Path dir = Path.of("src/main/java").resolve(pkg.replace('.', '/'));
        if (!Files.exists(dir.resolve("package-info.java"))) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.noneMatch(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java"));
        }
    }

    private static List<String> snippets(JShell shell, String source) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<String> out = new ArrayList<>();
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.source() == null || info.source().isBlank()) {
                break;
            }
            out.add(info.source());
            rest = info.remaining();
        }
        return out;
    }

}
