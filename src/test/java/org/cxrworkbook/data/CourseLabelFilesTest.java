package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pipeline after notebook 05 takes from the dataset instead of NIH file names: the label files (their digest
 * keys the saved split and the feature cache), and the films notebook 08 explains on a folder without boxes.
 */
class CourseLabelFilesTest {

    @TempDir
    static Path shared;
    static Path phantom;
    static Path course;

    @TempDir
    Path dir;

    @BeforeAll
    static void courseFolderFromAPhantom() {
        phantom = shared.resolve("phantom");
        course = shared.resolve("nih");
        PhantomGenerator.builder().images(48).size(32).seed(4).threads(2).progress(null).build().generate(phantom);
        ChestXrayDataset source = ChestXrayDataset.load(phantom);
        CourseFolderWriter.write(source, source.splits(0.2, 4), course, false);
    }

    @Test
    void labelFilesAreTheDataEntryCsvOrTheCoursesThreeCsvs() {
        assertEquals(List.of(phantom.resolve(NihFiles.DATA_ENTRY)), ChestXrayDataset.load(phantom).labelFiles());
        assertEquals(List.of(phantom.resolve(NihFiles.DATA_ENTRY)), ChestXrayDataset.labelFiles(phantom));
        List<Path> three = List.of(course.resolve("train-small.csv"), course.resolve("valid-small.csv"),
                course.resolve("test.csv"));
        assertEquals(three, ChestXrayDataset.load(course).labelFiles());
        assertEquals(three, ChestXrayDataset.labelFiles(course));
        // renamed CSVs given explicitly are the ones used
        CourseLayout renamed = CourseLayout.COURSE.withFiles(null, null, "test-renamed.csv", null);
        Path copy = dir.resolve("renamed");
        copyTree(course, copy);
        move(copy.resolve("test.csv"), copy.resolve("test-renamed.csv"));
        assertEquals(copy.resolve("test-renamed.csv"), ChestXrayDataset.load(copy, renamed).labelFiles().get(2));
    }

    @Test
    void oneFileDigestIsItsSha256AndTheCourseDigestFollowsEveryCsv() throws IOException {
        Path abc = dir.resolve("abc.csv");
        Files.writeString(abc, "abc", StandardCharsets.US_ASCII);
        // FIPS 180-2's test vector: SHA-256("abc")
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ChestXrayDataset.sha256(List.of(abc)));
        Path copy = dir.resolve("course");
        copyTree(course, copy);
        String before = ChestXrayDataset.load(copy).labelsSha256();
        String splitBefore = SavedSplit.dataDigest(copy);
        assertEquals(splitBefore, SavedSplit.dataDigest(ChestXrayDataset.load(copy)));
        flipFirstLabel(copy.resolve("test.csv"));
        assertNotEquals(before, ChestXrayDataset.load(copy).labelsSha256(), "a test.csv label is part of the digest");
        assertNotEquals(splitBefore, SavedSplit.dataDigest(copy), "and of the saved split's key");
        String afterTest = ChestXrayDataset.load(copy).labelsSha256();
        flipFirstLabel(copy.resolve("valid-small.csv"));
        assertNotEquals(afterTest, ChestXrayDataset.load(copy).labelsSha256(), "so is a valid-small.csv label");
    }

    @Test
    void aSavedSplitIsRecomputedWhenACourseCsvChanges() {
        Path copy = dir.resolve("course");
        copyTree(course, copy);
        Path work = dir.resolve("work");
        List<String> log = new ArrayList<>();
        SavedSplit.obtain(ChestXrayDataset.load(copy), work, 0.2, 1, 0, log::add);
        log.clear();
        SavedSplit.obtain(ChestXrayDataset.load(copy), work, 0.2, 1, 0, log::add);
        assertTrue(log.stream().noneMatch(l -> l.contains("recomputing")), log.toString());
        flipFirstLabel(copy.resolve("train-small.csv"));
        SavedSplit.obtain(ChestXrayDataset.load(copy), work, 0.2, 1, 0, log::add);
        assertTrue(log.stream().anyMatch(l -> l.contains("other settings") && l.contains("recomputing")), log.toString());
    }

    @Test
    void filmsToExplainAreTheBoxedOnesOrTheCoursesExamplesFirst() {
        ChestXrayDataset nih = ChestXrayDataset.load(phantom);
        List<ImageRecord> test = nih.splits(0.2, 4).test();
        assertEquals(nih.withBoxes(test, 5), nih.filmsToExplain(test, 5));
        assertTrue(nih.describeFilmsToExplain(nih.filmsToExplain(test, 5)).endsWith("test films with lesion boxes"));

        ChestXrayDataset ds = ChestXrayDataset.load(course);
        List<ImageRecord> courseTest = new ArrayList<>(ds.splits(0.2, 4).test());
        java.util.Collections.reverse(courseTest);   // the examples come first whatever the split's order
        List<ImageRecord> films = ds.filmsToExplain(courseTest, 6);
        assertEquals(6, films.size());
        assertEquals(CourseLayout.GRADCAM_EXAMPLES, films.subList(0, 4).stream().map(ImageRecord::imageIndex).toList());
        List<ImageRecord> others = courseTest.stream()
                .filter(r -> !CourseLayout.GRADCAM_EXAMPLES.contains(r.imageIndex())).limit(2).toList();
        assertEquals(others, films.subList(4, 6));
        assertEquals(CourseLayout.GRADCAM_EXAMPLES.subList(0, 2),
                ds.filmsToExplain(courseTest, 2).stream().map(ImageRecord::imageIndex).toList());
        assertEquals("6 test films, none with a lesion box (the course's folder has no box list), so the pointing game "
                + "and IoU below have no pairs to score; the course's 4 example films first, then other test films",
                ds.describeFilmsToExplain(films));
        assertTrue(ds.describeFilmsToExplain(films.subList(0, 4)).endsWith("; the course's 4 example films"));
    }

    @Test
    void aMissingLabelFileIsNamed() {
        Path copy = dir.resolve("course");
        copyTree(course, copy);
        ChestXrayDataset ds = ChestXrayDataset.load(copy);
        try {
            Files.delete(copy.resolve("valid-small.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, ds::labelsSha256);
        assertTrue(e.getMessage().contains(copy.resolve("valid-small.csv").toString()), e.getMessage());
    }

    /** Turns the first 0/1 label of the first data row into its opposite (the Image column is left alone). */
    static void flipFirstLabel(Path csv) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(csv));
            String[] f = lines.get(1).split(",", -1);
            f[1] = f[1].equals("0") ? "1" : "0";
            lines.set(1, String.join(",", f));
            Files.write(csv, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
