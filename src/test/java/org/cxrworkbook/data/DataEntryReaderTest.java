package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataEntryReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsV2020Rows() {
        Path csv = dir.resolve(NihFiles.DATA_ENTRY);
        Fixtures.write(csv, Fixtures.HEADER, Fixtures.ROWS);
        Parsed<ImageRecord> parsed = DataEntryReader.read(csv);
        assertEquals(List.of(), parsed.problems());
        assertEquals(9, parsed.items().size());
        ImageRecord first = parsed.items().get(0);
        assertEquals("00000001_000.png", first.imageIndex());
        assertEquals("1", first.patientId());
        assertEquals(Set.of(Finding.CARDIOMEGALY), first.findings());
        assertEquals(57, first.patientAge());
        assertEquals("M", first.patientGender());
        assertEquals("PA", first.viewPosition());
        assertEquals(2682, first.originalWidth());
        assertEquals(2749, first.originalHeight());
        assertEquals(0.143, first.pixelSpacingX(), 1e-12);
        assertTrue(parsed.items().get(2).noFinding());
        assertEquals(6, parsed.items().get(8).findings().size());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), parsed.rows());
    }

    @Test
    void readsOlder2017FileWithTrailingComma() {
        Path v2020 = dir.resolve(NihFiles.DATA_ENTRY);
        Path old = dir.resolve(NihFiles.DATA_ENTRY_2017);
        Fixtures.write(v2020, Fixtures.HEADER, Fixtures.ROWS);
        Fixtures.write(old, Fixtures.HEADER + ",", Fixtures.ROWS.stream().map(r -> r + ",").toList());
        Parsed<ImageRecord> a = DataEntryReader.read(v2020);
        Parsed<ImageRecord> b = DataEntryReader.read(old);
        assertEquals(List.of(), b.problems());
        assertEquals(a.items(), b.items());
    }

    @Test
    void labelMatchingIsExact() {
        Path csv = dir.resolve(NihFiles.DATA_ENTRY);
        Fixtures.write(csv, Fixtures.HEADER, List.of(
                "00000001_000.png,Nodules,0,1,57,M,PA,2682,2749,0.143,0.143",
                "00000001_001.png,mass,1,1,57,M,PA,2682,2749,0.143,0.143",
                "00000001_002.png,No Finding|Mass,2,1,57,M,PA,2682,2749,0.143,0.143",
                "00000001_003.png,Pleural_Thickening|Pneumothorax,3,1,57,M,PA,2682,2749,0.143,0.143"));
        Parsed<ImageRecord> parsed = DataEntryReader.read(csv);
        assertEquals(List.of(
                new Problem(NihFiles.DATA_ENTRY, 2, "unknown finding 'Nodules'"),
                new Problem(NihFiles.DATA_ENTRY, 3, "unknown finding 'mass'"),
                new Problem(NihFiles.DATA_ENTRY, 4, "'No Finding' combined with other labels in 'No Finding|Mass'")),
                parsed.problems());
        assertEquals(1, parsed.items().size());
        assertEquals(Set.of(Finding.PLEURAL_THICKENING, Finding.PNEUMOTHORAX), parsed.items().get(0).findings());
    }

    @Test
    void collectsEveryBadRowWithItsRowNumber() {
        Path csv = dir.resolve(NihFiles.DATA_ENTRY);
        List<String> rows = new ArrayList<>(Fixtures.ROWS);
        rows.set(1, "00000001_001.png,Cardiomegaly,1,1,58,M");                          // row 3: too few
        rows.set(3, "00000003_000.png,Hernia|Hernias,0,3,81,F,PA,2582,2991,0.143,0.143"); // row 5: unknown
        rows.set(5, Fixtures.ROWS.get(0));                                              // row 7: duplicate of row 2
        rows.set(6, "00000005_000.png,No Finding,0,5,sixty,F,PA,2048,2500,0.168,0.168"); // row 8: bad age
        Fixtures.write(csv, Fixtures.HEADER, rows);
        Parsed<ImageRecord> parsed = DataEntryReader.read(csv);
        String f = NihFiles.DATA_ENTRY;
        assertEquals(List.of(
                new Problem(f, 3, "row has 6 fields, expected 11"),
                new Problem(f, 5, "unknown finding 'Hernias'"),
                new Problem(f, 7, "duplicate Image Index 00000001_000.png (first at row 2)"),
                new Problem(f, 8, "bad Patient Age 'sixty': not an integer")), parsed.problems());
        assertEquals(5, parsed.items().size());
    }

    @Test
    void wrongHeaderIsOneProblemOnRowOne() {
        Path csv = dir.resolve(NihFiles.DATA_ENTRY);
        Fixtures.write(csv, "Image,Labels,Patient", Fixtures.ROWS);
        Parsed<ImageRecord> parsed = DataEntryReader.read(csv);
        assertEquals(1, parsed.problems().size());
        Problem p = parsed.problems().get(0);
        assertEquals(NihFiles.DATA_ENTRY, p.file());
        assertEquals(1, p.row());
        assertTrue(p.message().startsWith("wrong header"), p.message());
        assertTrue(parsed.items().isEmpty());
    }

    @Test
    void emptyFileAndHeaderOnlyAreProblems() {
        Path empty = dir.resolve("empty.csv");
        Fixtures.text(empty, "");
        assertEquals(List.of(new Problem("empty.csv", 0, "empty file: no header and no rows")),
                DataEntryReader.read(empty).problems());
        Path headerOnly = dir.resolve("header.csv");
        Fixtures.text(headerOnly, Fixtures.HEADER + "\n");
        assertEquals(List.of(new Problem("header.csv", 0, "no data rows after the header")),
                DataEntryReader.read(headerOnly).problems());
    }

    @Test
    void blankLinesDoNotShiftRowNumbers() {
        Path csv = dir.resolve(NihFiles.DATA_ENTRY);
        Fixtures.text(csv, Fixtures.HEADER + "\r\n" + Fixtures.ROWS.get(0) + "\r\n\r\n00000009_000.png,Mass\r\n");
        Parsed<ImageRecord> parsed = DataEntryReader.read(csv);
        assertEquals(List.of(new Problem(NihFiles.DATA_ENTRY, 4, "row has 2 fields, expected 11")), parsed.problems());
    }
}
