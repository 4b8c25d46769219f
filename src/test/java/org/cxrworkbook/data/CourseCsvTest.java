package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseCsvTest {

    /** The header of the course's train-small.csv, as published. */
    static final String COURSE_HEADER = "Image,Atelectasis,Cardiomegaly,Consolidation,Edema,Effusion,Emphysema,"
            + "Fibrosis,Hernia,Infiltration,Mass,Nodule,PatientId,Pleural_Thickening,Pneumonia,Pneumothorax";

    @TempDir
    Path dir;

    @Test
    void headerSlotsPatientIdAlphabetically() {
        assertEquals(COURSE_HEADER, String.join(",", CourseCsv.header()));
    }

    @Test
    void readsCourseRows() {
        Path csv = dir.resolve("train-small.csv");
        Fixtures.text(csv, COURSE_HEADER + "\n"
                + "00008270_015.png,0,0,0,0,0,0,0,0,0,0,0,8270,0,0,0\n"
                + "00029855_001.png,1,0,0,0,1,0,0,0,1,0,0,29855,0,0,0\n");
        Parsed<ImageRecord> parsed = CourseCsv.read(csv);
        assertEquals(List.of(), parsed.problems());
        assertEquals(List.of(ImageRecord.of("00008270_015.png", "8270", Set.of()),
                ImageRecord.of("00029855_001.png", "29855",
                        Set.of(Finding.ATELECTASIS, Finding.EFFUSION, Finding.INFILTRATION))), parsed.items());
    }

    @Test
    void writeThenReadRoundTrips() throws Exception {
        List<ImageRecord> records = List.of(ImageRecord.of("00000001_000.png", "1", Set.of(Finding.HERNIA)),
                ImageRecord.of("00000002_000.png", "2", Set.of()),
                ImageRecord.of("00000003_000.png", "3", Set.of(Finding.PNEUMOTHORAX, Finding.MASS)));
        Path csv = CourseCsv.write(dir.resolve("out.csv"), records);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(COURSE_HEADER, lines.get(0));
        assertEquals("00000003_000.png,0,0,0,0,0,0,0,0,0,1,0,3,0,0,1", lines.get(3));
        assertEquals(records, CourseCsv.read(csv).orThrow());
    }

    @Test
    void reportsBadValuesAndMissingColumns() {
        Path csv = dir.resolve("bad.csv");
        Fixtures.text(csv, COURSE_HEADER + "\n"
                + "a.png,0,0,0,0,0,0,0,0,0,0,0,1,0,0,2\n"
                + "b.png,0,0\n");
        assertEquals(List.of(new Problem("bad.csv", 2, "bad Pneumothorax value '2': expected 0 or 1"),
                new Problem("bad.csv", 3, "row has 3 fields, expected 16")), CourseCsv.read(csv).problems());
        Fixtures.text(csv, "Image,Mass\na.png,1\n");
        Problem p = CourseCsv.read(csv).problems().get(0);
        assertEquals(1, p.row());
        assertTrue(p.message().contains("PatientId"), p.message());
    }
}
