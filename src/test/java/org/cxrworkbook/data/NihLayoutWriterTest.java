package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NihLayoutWriterTest {

    @TempDir
    Path dir;

    private static final ImageRecord FIRST = new ImageRecord("00000001_000.png", "1", 0, Set.of(Finding.CARDIOMEGALY),
            57, "M", "PA", 2682, 2749, 0.143, 0.143);
    private static final ImageRecord SECOND = new ImageRecord("00000001_001.png", "1", 1,
            Set.of(Finding.EMPHYSEMA, Finding.CARDIOMEGALY), 58, "M", "PA", 2894, 2729, 0.143, 0.143);
    private static final ImageRecord THIRD = new ImageRecord("00000003_000.png", "3", 0, Set.of(),
            81, "F", "AP", 2048, 2500, 0.168, 0.168);

    @Test
    void writesTheExactNihFiles() throws IOException {
        BoundingBox box = new BoundingBox("00000001_000.png", Finding.INFILTRATION, 225.25, 547.0, 86.5, 79.125);
        NihLayoutWriter.write(dir, List.of(FIRST, SECOND, THIRD), List.of(box),
                Map.of("train_val", List.of("00000001_000.png", "00000001_001.png"), "test", List.of("00000003_000.png")));
        // the first row is NIH's own first row of Data_Entry_2017_v2020.csv
        assertEquals(List.of(
                "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,"
                        + "OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]",
                "00000001_000.png,Cardiomegaly,0,1,57,M,PA,2682,2749,0.143,0.143",
                "00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA,2894,2729,0.143,0.143",
                "00000003_000.png,No Finding,0,3,81,F,AP,2048,2500,0.168,0.168"),
                Files.readAllLines(dir.resolve("Data_Entry_2017_v2020.csv")));
        assertEquals(List.of("Image Index,Finding Label,Bbox [x,y,w,h],,,",
                        "00000001_000.png,Infiltrate,225.25,547.0,86.5,79.125"),
                Files.readAllLines(dir.resolve("BBox_List_2017.csv")));
        assertEquals(List.of("00000001_000.png", "00000001_001.png"), Files.readAllLines(dir.resolve("train_val_list.txt")));
        assertEquals(List.of("00000003_000.png"), Files.readAllLines(dir.resolve("test_list.txt")));
        // 11 fields in every Data_Entry line (the bracketed header names hold commas), 6 in each box row
        for (String line : Files.readAllLines(dir.resolve("Data_Entry_2017_v2020.csv"))) {
            assertEquals(11, line.split(",", -1).length, line);
        }
        List<String> boxLines = Files.readAllLines(dir.resolve("BBox_List_2017.csv"));
        for (String line : boxLines.subList(1, boxLines.size())) {
            assertEquals(6, line.split(",", -1).length, line);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void rewritingReplacesFilesWhole() throws IOException {
        NihLayoutWriter.write(dir, List.of(FIRST, SECOND, THIRD), List.of(), Map.of());
        NihLayoutWriter.write(dir, List.of(THIRD), List.of(), Map.of());
        assertEquals(2, Files.readAllLines(dir.resolve("Data_Entry_2017_v2020.csv")).size());
        assertEquals(List.of(NihLayoutWriter.BBOX_HEADER), Files.readAllLines(dir.resolve("BBox_List_2017.csv")));
    }

    @Test
    void rejectsUnknownSplitNames() {
        assertThrows(IllegalArgumentException.class,
                () -> NihLayoutWriter.write(dir, List.of(FIRST), List.of(), Map.of("validation", List.of())));
        assertEquals(0, dir.toFile().list().length, "nothing written on bad input");
    }
}
