package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository the workbook's defaults live in: named by ./cxr (cxr.home) or found upwards from a folder. */
class WorkbookHomeTest {

    @TempDir
    Path dir;

    private final String before = System.getProperty(WorkbookHome.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(WorkbookHome.PROPERTY);
        } else {
            System.setProperty(WorkbookHome.PROPERTY, before);
        }
    }

    @Test
    void foundUpwardsFromAFolderInsideTheRepository() throws Exception {
        System.clearProperty(WorkbookHome.PROPERTY);
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("environment"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.writeString(repo.resolve("environment/setup.jshell"), "");
        Path notebooks = Files.createDirectories(repo.resolve("notebooks/sub"));
        assertEquals(repo, WorkbookHome.root(notebooks));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        assertEquals(elsewhere, WorkbookHome.root(elsewhere), "outside a repository: the folder itself");
    }

    @Test
    void thePropertySetByTheLauncherWinsOverTheWorkingFolder() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("the-repo"));
        System.setProperty(WorkbookHome.PROPERTY, repo.toString());
        Path caller = Files.createDirectories(dir.resolve("caller"));
        assertEquals(repo, WorkbookHome.root(caller));
        assertEquals(repo.resolve("data").resolve("phantom"), WorkbookHome.resolve("data", "phantom"));
    }
}
