package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInspectorTest {

    @TempDir
    Path dir;

    @Test
    void cleanDatasetReportsCountsSplitsAndNoProblems() {
        InspectionReport r = DatasetInspector.inspect(Fixtures.dataset(dir));
        assertEquals(List.of(), r.problems());
        assertFalse(r.hasProblems());
        assertEquals(9, r.images());
        assertEquals(6, r.patients());
        assertEquals(2, r.findings().get("No Finding"));
        assertEquals(new InspectionReport.SplitSize(7, 4), r.splits().get("train_val"));
        assertEquals(new InspectionReport.SplitSize(2, 2), r.splits().get("test"));
        assertEquals(List.of(), r.overlap());
        String json = r.toJson();
        assertTrue(json.contains("\"images\": 9,"), json);
        assertTrue(json.contains("\"findings\": {\"Atelectasis\": 1, \"Cardiomegaly\": 2,"), json);
        assertTrue(json.contains("\"No Finding\": 2}"), json);
        assertTrue(json.contains("\"splits\": {\"train_val\": {\"images\": 7, \"patients\": 4}, \"test\": {\"images\": 2, \"patients\": 2}}"), json);
        assertTrue(json.contains("\"overlap\": [],"), json);
        assertTrue(json.contains("\"problems\": []"), json);
    }

    /** Every bad input of the issue at once: all must be reported in one pass, each naming file and row. */
    @Test
    void collectsAllProblemsInOnePass() throws Exception {
        Fixtures.dataset(dir);
        List<String> rows = new ArrayList<>(Fixtures.ROWS);
        rows.set(2, "00000002_000.png,No Finding,0,2");                                           // row 4: too few fields
        rows.set(4, "00000003_001.png,Hernia|Lump,1,3,74,F,PA,2500,2048,0.168,0.168");            // row 6: unknown finding
        rows.add("00000001_000.png,Mass,0,1,57,M,PA,2682,2749,0.143,0.143");                      // row 11: duplicate
        rows.add("00000007_000.png,Mass,0,7,30,F,PA,2048,2048,0.14,0.14");                        // row 12: no image file
        Fixtures.write(dir.resolve(NihFiles.DATA_ENTRY), Fixtures.HEADER, rows);
        byte[] png = Files.readAllBytes(dir.resolve("images/00000004_000.png"));
        Files.write(dir.resolve("images/00000004_000.png"), Arrays.copyOf(png, png.length - 30)); // truncated PNG
        Fixtures.lines(dir.resolve(NihFiles.TEST_LIST), List.of("00000004_000.png", "00000006_000.png",
                "00000099_000.png", "00000001_001.png"));                                           // unknown + patient 1 in both
        Fixtures.write(dir.resolve(NihFiles.BBOX_LIST), Fixtures.BBOX_HEADER,
                List.of(Fixtures.BBOX_ROWS.get(0), "00000042_000.png,Mass,1,2,3,4,,,"));          // box for unknown image

        InspectionReport r = DatasetInspector.inspect(dir);
        String entry = NihFiles.DATA_ENTRY;
        assertEquals(List.of(
                new Problem(entry, 4, "row has 4 fields, expected 11"),
                new Problem(entry, 6, "unknown finding 'Lump'"),
                new Problem(entry, 11, "duplicate Image Index 00000001_000.png (first at row 2)"),
                new Problem("images/00000004_000.png", 0, "truncated or corrupt PNG: no IEND chunk at the end (" + entry + " row 7)"),
                new Problem(entry, 12, "image file images/00000007_000.png not found (also looked in images_*/images/)"),
                new Problem(NihFiles.BBOX_LIST, 3, "box for unknown image 00000042_000.png (not in Data_Entry)"),
                new Problem(NihFiles.TEST_LIST, 3, "unknown image 00000099_000.png (not in Data_Entry)")),
                r.problems().subList(0, 7));
        assertEquals(8, r.problems().size());
        Problem overlap = r.problems().get(7);
        assertEquals(NihFiles.TEST_LIST, overlap.file());
        assertEquals(4, overlap.row());
        assertTrue(overlap.message().startsWith("patients in both train_val_list.txt and test_list.txt: train_val/test: 1 patients (1)"),
                overlap.message());
        assertEquals(List.of(new Overlap("train_val", "test", List.of("1"), List.of("00000001_000.png", "00000001_001.png"))),
                r.overlap());
        assertTrue(r.toJson().contains("\"overlap\": [{\"splits\": [\"train_val\", \"test\"], \"patients\": [\"1\"]}]"), r.toJson());
        assertTrue(r.toJson().contains("{\"file\": \"Data_Entry_2017_v2020.csv\", \"row\": 6, \"message\": \"unknown finding 'Lump'\"}"));
        assertTrue(r.toText().contains("Data_Entry_2017_v2020.csv:12: image file images/00000007_000.png not found"), r.toText());
    }

    @Test
    void emptyAndMissingCsvAreReported() throws Exception {
        Fixtures.dataset(dir);
        Fixtures.text(dir.resolve(NihFiles.DATA_ENTRY), "");
        assertEquals(List.of(new Problem(NihFiles.DATA_ENTRY, 0, "empty file: no header and no rows")),
                DatasetInspector.inspect(dir).problems());
        Files.delete(dir.resolve(NihFiles.DATA_ENTRY));
        Problem p = DatasetInspector.inspect(dir).problems().get(0);
        assertEquals(NihFiles.DATA_ENTRY, p.file());
        assertTrue(p.message().startsWith("missing"), p.message());
    }

    @Test
    void wrongHeaderIsReportedWithoutFloodingRows() {
        Fixtures.dataset(dir);
        Fixtures.write(dir.resolve(NihFiles.DATA_ENTRY), "Image,Finding,Patient", Fixtures.ROWS);
        List<Problem> problems = DatasetInspector.inspect(dir).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(1, problems.get(0).row());
    }

    @Test
    void withoutImageHeadersOnlyExistenceIsChecked() throws Exception {
        Fixtures.dataset(dir);
        Files.writeString(dir.resolve("images/00000004_000.png"), "not a png");
        assertEquals(List.of(), DatasetInspector.inspect(dir, false).problems());
        assertEquals("images/00000004_000.png", DatasetInspector.inspect(dir, true).problems().get(0).file());
    }
}
