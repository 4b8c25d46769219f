package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The course's folder layout read as a dataset: detection, fixed splits, overlap across the CSVs, bad input. */
class CourseFolderTest {

    static final String H = CourseCsvTest.COURSE_HEADER;

    @TempDir
    static Path shared;
    static Path phantom;
    static Path course;
    static CourseFolderWriter.Written written;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeCourseFolderFromAPhantom() {
        phantom = shared.resolve("phantom");
        course = shared.resolve("nih");
        PhantomGenerator.builder().images(60).size(64).seed(3).threads(2).progress(null).build().generate(phantom);
        ChestXrayDataset source = ChestXrayDataset.load(phantom);
        written = CourseFolderWriter.write(source, source.splits(0.2, 3), course, false);
    }

    @Test
    void courseFolderIsReadWithItsOwnFixedSplits() {
        ChestXrayDataset nih = ChestXrayDataset.load(phantom);
        SplitSet nihSplits = nih.splits(0.2, 3);
        ChestXrayDataset ds = ChestXrayDataset.load(course);
        assertTrue(ds.isCourse());
        assertTrue(ChestXrayDataset.exists(course));
        assertEquals(course.resolve("train-small.csv"), ds.labelsFile());
        assertEquals(60, ds.records().size());
        SplitSet splits = ds.splits(0.5, 99);   // fraction and seed do not move the course's splits
        assertEquals(names(nihSplits.train()), names(splits.train()));
        assertEquals(names(nihSplits.val()), names(splits.val()));
        assertEquals(names(CourseCsv.read(course.resolve("test.csv")).items()), names(splits.test()));
        assertEquals(List.of("train", "valid", "test"), List.copyOf(ds.officialSplits().keySet()));
        // the course's Grad-CAM example names are there, as films, with the phantom's labels
        for (int i = 0; i < 4; i++) {
            String example = CourseLayout.GRADCAM_EXAMPLES.get(i);
            ImageRecord r = ds.record(example).orElseThrow();
            assertEquals(nihSplits.test().get(i).findings(), r.findings());
            assertTrue(Files.isRegularFile(ds.imagePath(r)));
        }
        assertEquals(String.valueOf(Integer.parseInt("00029855")), ds.record("00029855_001.png").orElseThrow().patientId());
        // labels survive the trip through CourseCsv
        for (ImageRecord r : nihSplits.train()) {
            assertEquals(r.findings(), ds.record(r.imageIndex()).orElseThrow().findings());
        }
    }

    @Test
    void inspectReportsTheCourseSplitsWithTheSameKeys() {
        InspectionReport report = DatasetInspector.inspect(course);
        String json = report.toJson();
        for (String key : List.of("images", "patients", "findings", "splits", "overlap", "problems")) {
            assertTrue(json.contains("\"" + key + "\":"), key);
        }
        assertEquals(List.of("train", "valid", "test"), List.copyOf(report.splits().keySet()));
        assertEquals(written.train(), report.splits().get("train").images());
        assertEquals(written.valid(), report.splits().get("valid").images());
        assertEquals(written.test(), report.splits().get("test").images());
        assertEquals(List.of(), report.problems());
        assertEquals(List.of(), report.overlap());
    }

    @Test
    void patientOverlapAcrossTheThreeCsvsIsReportedNotFatal() throws Exception {
        Path root = dir.resolve("nih");
        for (String n : List.of("00000001_000.png", "00000001_001.png", "00000002_000.png", "00000003_000.png",
                "00000003_001.png")) {
            Fixtures.png(root.resolve("images-small").resolve(n), BufferedImage.TYPE_BYTE_GRAY);
        }
        Fixtures.text(root.resolve("train-small.csv"), H + "\n00000001_000.png,1,0,0,0,0,0,0,0,0,0,0,1,0,0,0\n"
                + "00000003_000.png,0,0,0,0,0,0,0,0,0,0,0,3,0,0,0\n");
        Fixtures.text(root.resolve("valid-small.csv"), H + "\n00000001_001.png,0,1,0,0,0,0,0,0,0,0,0,1,0,0,0\n");
        Fixtures.text(root.resolve("test.csv"), H + "\n00000002_000.png,0,0,0,0,0,0,0,0,0,0,0,2,0,0,0\n"
                + "00000003_001.png,0,0,0,0,0,0,0,0,0,0,0,3,0,0,0\n");
        InspectionReport report = DatasetInspector.inspect(root);
        assertEquals(List.of(), report.problems());
        assertEquals(2, report.overlap().size());
        Overlap trainValid = report.overlap().get(0);
        assertEquals(List.of("train", "valid", "1"), List.of(trainValid.splitA(), trainValid.splitB(), trainValid.patientIds().get(0)));
        assertEquals(List.of("00000001_000.png", "00000001_001.png"), trainValid.imageNames());
        Overlap trainTest = report.overlap().get(1);
        assertEquals(List.of("train", "test", "3"), List.of(trainTest.splitA(), trainTest.splitB(), trainTest.patientIds().get(0)));
        ChestXrayDataset ds = ChestXrayDataset.load(root);   // the course's splits are kept as they are
        assertEquals(2, ds.splits(0.1, 1).overlaps().size());
        assertEquals(OverlapCheck.check(ds.officialSplits()), report.overlap());
    }

    @Test
    void everyBadCsvRowAndMissingFilmIsNamedInOnePass() {
        Path root = dir.resolve("bad");
        for (String n : List.of("a.png", "b.png", "c.png", "d.png")) {
            Fixtures.png(root.resolve("images-small").resolve(n), BufferedImage.TYPE_BYTE_GRAY);
        }
        Fixtures.text(root.resolve("train-small.csv"), H + "\na.png,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0\n"
                + "b.png,0,0,0,0,0,0,0,0,0,0,0,2,0,0,yes\n"
                + "a.png,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0\n"
                + "gone.png,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0\n");
        Fixtures.text(root.resolve("valid-small.csv"), H + ",Age\nc.png,0,0,0,0,0,0,0,0,0,0,0,3,0,0,0,40\n");
        Fixtures.text(root.resolve("test.csv"), H.replace(",Hernia", "") + "\nd.png,0,0,0,0,0,0,0,0,0,0,4,0,0,0\n");
        DataException e = assertThrows(DataException.class, () -> ChestXrayDataset.load(root));
        assertEquals(List.of(
                new Problem("train-small.csv", 3, "bad Pneumothorax value 'yes': expected 0 or 1"),
                new Problem("train-small.csv", 4, "duplicate Image a.png (first at row 2)"),
                new Problem("train-small.csv", 5, "image file images-small/gone.png not found"),
                new Problem("valid-small.csv", 1, "wrong header: unexpected columns [Age] (expected " + H.replace(",", ",") + ")"),
                new Problem("test.csv", 1, "wrong header: missing columns [Hernia] (expected " + H + ")")),
                e.problems());
        InspectionReport report = DatasetInspector.inspect(root);
        assertEquals(e.problems(), report.problems());
        assertTrue(report.toJson().contains("\"file\": \"train-small.csv\", \"row\": 5"));
    }

    @Test
    void renamedFilesAreReadThroughTheLayout() throws Exception {
        Path root = dir.resolve("renamed");
        Fixtures.png(root.resolve("films").resolve("a.png"), BufferedImage.TYPE_BYTE_GRAY);
        Fixtures.png(root.resolve("films").resolve("b.png"), BufferedImage.TYPE_BYTE_GRAY);
        Fixtures.png(root.resolve("films").resolve("c.png"), BufferedImage.TYPE_BYTE_GRAY);
        Fixtures.text(root.resolve("tr.csv"), H + "\na.png,1,0,0,0,0,0,0,0,0,0,0,1,0,0,0\n");
        Fixtures.text(root.resolve("va.csv"), H + "\nb.png,0,0,0,0,0,0,0,0,0,0,0,2,0,0,0\n");
        Fixtures.text(root.resolve("te.csv"), H + "\nc.png,0,0,0,0,0,0,0,0,0,0,0,3,0,0,0\n");
        assertFalse(ChestXrayDataset.exists(root));
        CourseLayout layout = CourseLayout.COURSE.withFiles("tr.csv", "va.csv", "te.csv", "films");
        ChestXrayDataset ds = ChestXrayDataset.load(root, layout);
        assertEquals(List.of("a.png"), names(ds.splits(0.1, 1).train()));
        assertEquals(Set.of(Finding.ATELECTASIS), ds.record("a.png").orElseThrow().findings());
        assertEquals(root.resolve("films").resolve("c.png"), ds.imagePath(ds.record("c.png").orElseThrow()));
    }

    private static List<String> names(List<ImageRecord> records) {
        return records.stream().map(ImageRecord::imageIndex).toList();
    }
}
