package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed CSV rows are reported one by one, naming file and row, and the rest of the file is still read. */
class CsvToleranceTest {

    @TempDir
    Path dir;

    private static final String GOOD_1 = "00000001_000.png,Cardiomegaly,0,1,57,M,PA,2682,2749,0.143,0.143";
    private static final String GOOD_2 = "00000002_000.png,No Finding,0,2,81,M,PA,2500,2048,0.171,0.171";

    private Path entry(byte[]... lines) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((Fixtures.HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        for (byte[] l : lines) {
            b.write(l);
            b.write('\n');
        }
        Path f = dir.resolve(NihFiles.DATA_ENTRY);
        Files.write(f, b.toByteArray());
        return f;
    }

    private static byte[] u(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachMalformedRowIsOneProblemAndReadingContinues() throws Exception {
        String longLabel = "Mass" + "|Mass".repeat(1200); // ~6,000 characters in one field
        byte[] notUtf8 = {'0', '0', '0', '0', '0', '0', '0', '9', '_', '0', '0', '0', '.', 'p', 'n', 'g', ',',
                (byte) 0xC3, (byte) 0x28, ',', '0', ',', '9', ',', '5', '0', ',', 'M', ',', 'P', 'A', ',', '1', ',',
                '1', ',', '1', ',', '1'};
        Path f = entry(u(GOOD_1),
                u("00000003_000.png,\"Mass,0,3,57,M,PA,2682,2749,0.143,0.143"),        // row 3: unbalanced quote
                u("00000004_000.png," + longLabel + ",0,4,57,M,PA,2682,2749,0.143,0.143"), // row 4: over-long field
                u("00000005_000.png,Mass,0,5,57,M,PA,2682"),                             // row 5: 8 fields
                u("00000006_000.png,Mass,0,6," + "9".repeat(70_000)),                    // row 6: over-long line
                notUtf8,                                                                 // row 7: not UTF-8
                u("00000008_000.png,Mass,0,8,57,M,PA,2682,2749,0.143,0.143,x,y"),        // row 8: 13 fields
                u(GOOD_2));
        Parsed<ImageRecord> p = DataEntryReader.read(f);
        assertEquals(List.of("00000001_000.png", "00000002_000.png"),
                p.items().stream().map(ImageRecord::imageIndex).toList(), "good rows before and after are read");
        assertEquals(List.of(2L, 9L), p.rows());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L), p.problems().stream().map(Problem::row).toList(),
                "one problem per bad row: " + p.problems());
        p.problems().forEach(pr -> assertEquals(NihFiles.DATA_ENTRY, pr.file()));
        assertTrue(p.problems().get(0).message().contains("unbalanced quote"), p.problems().get(0).message());
        assertTrue(p.problems().get(1).message().contains("field 2 is") && p.problems().get(1).message()
                .contains("at most " + CsvRows.MAX_FIELD), p.problems().get(1).message());
        assertTrue(p.problems().get(2).message().contains("8 fields, expected 11"), p.problems().get(2).message());
        assertTrue(p.problems().get(3).message().contains("longer than " + CsvRows.MAX_LINE),
                p.problems().get(3).message());
        assertTrue(p.problems().get(4).message().contains("UTF-8"), p.problems().get(4).message());
        assertTrue(p.problems().get(5).message().contains("13 fields"), p.problems().get(5).message());
        assertTrue(p.problems().toString().length() < 2000, "no parser dump in the messages");
    }

    @Test
    void aBrokenHeaderIsOneProblemNotOnePerRow() throws Exception {
        Path f = dir.resolve(NihFiles.BBOX_LIST);
        Files.writeString(f, "Image Index,\"Finding Label,Bbox [x,y,w,h],,,\n00000001_000.png,Mass,1,2,3,4\n"
                + "00000002_000.png,Mass,1,2,3,4\n");
        Parsed<BoundingBox> p = BBoxReader.read(f);
        assertEquals(1, p.problems().size(), p.problems().toString());
        assertEquals(1, p.problems().get(0).row());
        assertTrue(p.problems().get(0).message().contains("header"), p.problems().get(0).message());
    }

    @Test
    void crAndCrlfLineEndsAndBomStillWork() throws Exception {
        Path f = dir.resolve(NihFiles.DATA_ENTRY);
        Files.writeString(f, "\uFEFF" + Fixtures.HEADER + "\r\n" + GOOD_1 + "\r" + GOOD_2 + "\r\n");
        Parsed<ImageRecord> p = DataEntryReader.read(f);
        assertEquals(List.of(), p.problems());
        assertEquals(List.of(2L, 3L), p.rows());
    }
}
