package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10's smaller data defects: BOM in split lists, Patient ID vs file name, ages, bad boxes. */
class SmallDefectsTest {

    @TempDir
    Path dir;

    @Test
    void aByteOrderMarkInASplitListDoesNotHideItsFirstImage() throws Exception {
        Path list = dir.resolve("test_list.txt");
        Files.writeString(list, "\uFEFF00000001_000.png\n00000002_000.png\n");
        List<Problem> problems = new ArrayList<>();
        Map<String, Long> names = SplitLists.read(list, problems);
        assertEquals(List.of("00000001_000.png", "00000002_000.png"), List.copyOf(names.keySet()));
        assertEquals(List.of(), problems);
    }

    @Test
    void patientIdMustMatchTheFileNameAndAgesMustBeHuman() throws Exception {
        Path f = dir.resolve(NihFiles.DATA_ENTRY);
        Files.writeString(f, Fixtures.HEADER + "\n"
                + "00000001_000.png,Mass,0,1,57,M,PA,2682,2749,0.143,0.143\n"     // fine (leading zeros)
                + "00000002_000.png,Mass,0,3,57,M,PA,2682,2749,0.143,0.143\n"     // row 3: patient 3 ≠ 2
                + "00000004_000.png,Mass,0,4,413,M,PA,2682,2749,0.143,0.143\n"   // row 4: age 413
                + "00000005_000.png,Mass,0,5,-1,M,PA,2682,2749,0.143,0.143\n"    // row 5: age -1
                + "00000006_000.png,Mass,0,6,120,M,PA,2682,2749,0.143,0.143\n");  // fine
        Parsed<ImageRecord> p = DataEntryReader.read(f);
        assertEquals(List.of(3L, 4L, 5L), p.problems().stream().map(Problem::row).toList(), p.problems().toString());
        assertTrue(p.problems().get(0).message().contains("Patient ID 3") && p.problems().get(0).message()
                .contains("00000002"), p.problems().get(0).message());
        assertTrue(p.problems().get(1).message().contains("413") && p.problems().get(1).message().contains("0–120"));
        assertEquals(2, p.items().size());
    }

    @Test
    void nanInfinityNonPositiveAndOutsideBoxesAreOneProblemEach() throws Exception {
        Path f = dir.resolve(NihFiles.BBOX_LIST);
        Files.writeString(f, "Image Index,Finding Label,Bbox [x,y,w,h],,,\n"
                + "00000001_000.png,Mass,1,2,3,4\n"               // row 2 fine
                + "00000001_000.png,Mass,NaN,2,3,4\n"             // row 3
                + "00000001_000.png,Mass,1,2,Infinity,4\n"        // row 4
                + "00000001_000.png,Mass,1,2,0,4\n"               // row 5
                + "00000001_000.png,Mass,-50,-50,10,10\n");       // row 6: wholly left/above
        Parsed<BoundingBox> p = BBoxReader.read(f);
        assertEquals(List.of(3L, 4L, 5L, 6L), p.problems().stream().map(Problem::row).toList(), p.problems().toString());
        assertTrue(p.problems().get(0).message().contains("finite") && p.problems().get(0).message().contains("NaN"));
        assertTrue(p.problems().get(1).message().contains("Infinity"));
        assertTrue(p.problems().get(2).message().contains("non-positive size"));
        assertTrue(p.problems().get(3).message().contains("outside") || p.problems().get(3).message().contains("left"));
        assertEquals(1, p.items().size());
    }
}
