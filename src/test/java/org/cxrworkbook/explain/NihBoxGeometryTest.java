package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.plot.HeatmapPlots;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The real NIH geometry: a 1024² PNG whose Data_Entry row says the original DICOM was 2682×2749, and a box in
 * the PNG's 1024 pixel space. The box must be scaled by map side / 1024 only, for scoring and for drawing.
 */
class NihBoxGeometryTest {

    @TempDir
    Path dir;

    private ChestXrayDataset nihDataset() throws Exception {
        BufferedImage png = new BufferedImage(1024, 1024, BufferedImage.TYPE_BYTE_GRAY);
        Files.createDirectories(dir.resolve("images"));
        ImageIO.write(png, "png", dir.resolve("images/00000001_000.png").toFile());
        Files.writeString(dir.resolve("Data_Entry_2017_v2020.csv"), "Image Index,Finding Labels,Follow-up #,"
                + "Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],"
                + "OriginalImagePixelSpacing[x,y]\n00000001_000.png,Cardiomegaly,0,1,57,M,PA,2682,2749,0.143,0.143\n");
        // x 512..768, y 256..384 of the 1024² PNG
        Files.writeString(dir.resolve("BBox_List_2017.csv"),
                "Image Index,Finding Label,Bbox [x,y,w,h],,,\n00000001_000.png,Cardiomegaly,512,256,256,128\n");
        return ChestXrayDataset.load(dir);
    }

    @Test
    void boxIsScoredInThePngsPixelSpaceNotTheOriginalDicomSize() throws Exception {
        ChestXrayDataset ds = nihDataset();
        ImageRecord r = ds.records().get(0);
        assertEquals(2682, r.originalWidth(), "Data_Entry's size stays as metadata");
        var it = new ListDataSetIterator<>(List.of(new DataSet(Nd4j.zeros(DataType.FLOAT, 1, 1, 32, 32),
                Nd4j.zeros(DataType.FLOAT, 1, Finding.COUNT))), 1);
        ExplainSample s = ExplainSamples.fromIterator(it, List.of(r), ds).get(0);
        assertEquals(1024, s.pngWidth());
        assertEquals(1024, s.pngHeight());
        // 32² map: the box becomes x ∈ [16, 24), y ∈ [8, 12) — by hand, 512·32/1024 = 16, 128·32/1024 = 4
        float[][] map = new float[32][32];
        for (int y = 8; y < 12; y++) {
            for (int x = 16; x < 24; x++) {
                map[y][x] = 1f;
            }
        }
        LocalisationReport rep = LocalisationScorer.defaults().score(List.of(new LocalisationCase(s.imageIndex(),
                s.pngWidth(), s.pngHeight(), s.boxes(), java.util.Map.of(Finding.CARDIOMEGALY, map))), "exact");
        assertEquals(1.0, rep.overall().orElseThrow().pointing());
        assertEquals(1.0, rep.overall().orElseThrow().iou(), 1e-12);
        // with the DICOM size the box would land at x ∈ [6.1, 9.2): a miss — the silent error of issue 10
        LocalisationReport wrong = LocalisationScorer.defaults().score(List.of(new LocalisationCase(s.imageIndex(),
                2682, 2749, s.boxes(), java.util.Map.of(Finding.CARDIOMEGALY, map))), "dicom");
        assertEquals(0.0, wrong.overall().orElseThrow().pointing());
    }

    @Test
    void boxIsDrawnWhereItIsOnTheShownImage() throws Exception {
        ChestXrayDataset ds = nihDataset();
        BoundingBox box = ds.boxes().get(0);
        BufferedImage shown = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        var png = ds.pngHeader(ds.records().get(0));
        HeatmapPlots.withBoxes(shown, List.of(box), png.width(), png.height());
        int white = 0xFFFFFF;
        // outline: columns 16 and 23, rows 8 and 11
        assertEquals(white, shown.getRGB(16, 8) & white);
        assertEquals(white, shown.getRGB(23, 11) & white);
        assertEquals(white, shown.getRGB(20, 8) & white);
        assertEquals(white, shown.getRGB(16, 10) & white);
        assertNotEquals(white, shown.getRGB(15, 8) & white);
        assertNotEquals(white, shown.getRGB(24, 11) & white);
        assertNotEquals(white, shown.getRGB(20, 12) & white);
        assertNotEquals(white, shown.getRGB(20, 10) & white, "inside is not filled");
        int lit = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                lit += (shown.getRGB(x, y) & white) == white ? 1 : 0;
            }
        }
        assertEquals(2 * 8 + 2 * 2, lit, "an 8×4 outline has 20 pixels");
    }
}
