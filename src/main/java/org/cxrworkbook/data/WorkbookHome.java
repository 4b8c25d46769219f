package org.cxrworkbook.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workbook's repository folder, against which its own defaults ({@code data/phantom}, {@code data/weights},
 * {@code output/}) are resolved, while paths a user types stay relative to the folder they typed them in.
 * The launcher {@code ./cxr} runs Java in the caller's folder and names the repository in the system property
 * {@value #PROPERTY}; without it (tests, notebooks) the repository is found upwards from the working folder.
 */
public final class WorkbookHome {

    /** System property naming the repository folder, set by {@code ./cxr}. */
    public static final String PROPERTY = "cxr.home";

    private WorkbookHome() {
    }

    /** The repository folder: {@value #PROPERTY} if set, else the one holding the working folder, else the working folder. */
    public static Path root() {
        return root(Path.of("").toAbsolutePath());
    }

    /**
     * {@value #PROPERTY} if set, else the first folder upwards from {@code start} holding {@code pom.xml} and
     * {@code environment/setup.jshell}, else {@code start}.
     */
    public static Path root(Path start) {
        String home = System.getProperty(PROPERTY);
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("environment/setup.jshell"))) {
                return p;
            }
        }
        return start;
    }

    /** A path inside the repository, e.g. {@code resolve("data", "phantom")}. */
    public static Path resolve(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }
}
