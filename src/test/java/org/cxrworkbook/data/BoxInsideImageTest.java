package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lesion box reaching outside its PNG is refused naming file, row, image and both sizes, never clipped silently. */
class BoxInsideImageTest {

    @TempDir
    Path dir;

    @Test
    void aBoxPastTheRightOrBottomEdgeIsOneProblemWithItsRow() {
        Fixtures.dataset(dir);
        List<String> rows = new ArrayList<>(Fixtures.BBOX_ROWS);
        rows.add("00000006_000.png,Mass,1000,100,30,50,,,");     // row 4: right edge 1030 > 1024
        rows.add("00000005_001.png,Nodule,10,1000,20,24,,,");    // row 5: bottom edge exactly 1024: inside
        rows.add("00000005_001.png,Nodule,10,1010,20,24.5,,,");  // row 6: bottom edge 1034.5
        Fixtures.write(dir.resolve(NihFiles.BBOX_LIST), Fixtures.BBOX_HEADER, rows);

        List<Problem> problems = DatasetInspector.inspect(dir).problems();

        assertEquals(List.of(4L, 6L), problems.stream().map(Problem::row).toList(), problems.toString());
        problems.forEach(p -> assertEquals(NihFiles.BBOX_LIST, p.file()));
        assertEquals("box x=1000 y=100 w=30 h=50 of 00000006_000.png reaches outside its 1024x1024 PNG (x from 0 to"
                + " 1024, y from 0 to 1024; right edge 1030, bottom edge 150)", problems.get(0).message());
        assertTrue(problems.get(1).message().contains("bottom edge 1034.5"), problems.get(1).message());
        DataException e = assertThrows(DataException.class, () -> ChestXrayDataset.load(dir));
        assertTrue(e.getMessage().contains("BBox_List_2017.csv:4: box x=1000"), e.getMessage());
    }

    @Test
    void filmsResizedUnderTheirBoxesAreOneGroupedProblem() {
        Fixtures.dataset(dir);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {   // NIH-sized boxes on the two boxed films, rewritten here at 256²
            rows.add((i % 2 == 0 ? "00000006_000.png" : "00000005_001.png") + ",Mass," + (300 + i) + ",400,100,100,,,");
        }
        Fixtures.write(dir.resolve(NihFiles.BBOX_LIST), Fixtures.BBOX_HEADER, rows);
        Fixtures.png(dir.resolve("images/00000006_000.png"), BufferedImage.TYPE_BYTE_GRAY, 256);
        Fixtures.png(dir.resolve("images/00000005_001.png"), BufferedImage.TYPE_BYTE_GRAY, 256);

        List<Problem> problems = DatasetInspector.inspect(dir).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertEquals(2L, problems.get(0).row());
        String msg = problems.get(0).message();
        assertTrue(msg.startsWith("7 of 7 boxes extend beyond their image"), msg);
        assertTrue(msg.contains("were the images resized?"), msg);
        assertTrue(msg.contains("row 2: box x=300 y=400 w=100 h=100 of 00000006_000.png reaches outside its 256x256 PNG"), msg);
        assertTrue(msg.contains("row 6: ") && !msg.contains("row 7: "), msg);
    }
}
