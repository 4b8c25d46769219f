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
 * Evaluates environment/setup.jshell in JShell with the notebook's class path (target/classes and every
 * jar of target/lib, as the setup cell's %classpath and %jars add them): every import must resolve.
 * The one tolerated error is a module package that has no class yet (only package-info.java), which
 * JShell reports as "does not exist"; once the package has a class it must import cleanly.
 */
class SetupScriptTest {

    private static final Path SCRIPT = Path.of("environment/setup.jshell");
    private static final Pattern MISSING_PACKAGE = Pattern.compile("package (org\\.cxrworkbook\\.\\w+) does not exist");

    @Test
    void everyImportResolvesOnTheNotebookClassPath() throws IOException {
        List<String> errors = new ArrayList<>();
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(Path.of("target/classes").toAbsolutePath().toString());
            try (Stream<Path> jars = Files.list(Path.of("target/lib"))) {
                jars.filter(p -> p.toString().endsWith(".jar"))
                        .forEach(p -> shell.addToClasspath(p.toAbsolutePath().toString()));
            }
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
