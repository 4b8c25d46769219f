package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.PatientSplitter;
import org.cxrworkbook.data.SplitSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

class DataPlotsTest {

    @TempDir
    Path dir;

    ChestXrayDataset dataset;

    /** Three images: an 8-bit grey one of value 200, an RGBA one whose channel 0 is 50, a 16-bit one of 40000. */
    @BeforeEach
    void setUp() throws Exception {
        String header = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
                + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\n";
        Files.writeString(dir.resolve("Data_Entry_2017_v2020.csv"), header
                + "00000001_000.png,Cardiomegaly|Effusion,0,1,50,M,PA,16,16,0.1,0.1\n"
                + "00000002_000.png,No Finding,0,2,50,M,PA,16,16,0.1,0.1\n"
                + "00000003_000.png,Hernia,0,3,50,F,PA,16,16,0.1,0.1\n", StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("images"));
        write("00000001_000.png", BufferedImage.TYPE_BYTE_GRAY, 200);
        write("00000002_000.png", BufferedImage.TYPE_4BYTE_ABGR, 50);
        write("00000003_000.png", BufferedImage.TYPE_USHORT_GRAY, 40000);
        dataset = ChestXrayDataset.load(dir);
    }

    private void write(String name, int type, int value) throws Exception {
        BufferedImage img = new BufferedImage(16, 16, type);
        var raster = img.getRaster();
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                for (int b = 0; b < raster.getNumBands(); b++) {
                    raster.setSample(x, y, b, b == 0 ? value : 255);
                }
            }
        }
        ImageIO.write(img, "png", dir.resolve("images").resolve(name).toFile());
    }

    @Test
    void findingCountsInCanonicalOrderWithNoFindingLast() {
        CategoryChart chart = DataPlots.findingCounts(dataset);
        CategorySeries s = chart.getSeriesMap().get("images");
        List<String> x = (List<String>) s.getXData().stream().map(Object::toString).toList();
        assertEquals(15, x.size());
        assertEquals(Finding.labels(), x.subList(0, 14).stream().map(n -> n.substring(0, n.indexOf(" ("))).toList());
        assertEquals(Finding.NO_FINDING + " (1)", x.get(14), "count in the category name");
        assertEquals("Cardiomegaly (1)", x.get(Finding.CARDIOMEGALY.ordinal()));
        List<Number> y = List.copyOf(s.getYData());
        assertEquals(1, y.get(Finding.CARDIOMEGALY.ordinal()).intValue());
        assertEquals(0, y.get(Finding.MASS.ordinal()).intValue());
        assertEquals(1, y.get(14).intValue());
        BufferedImage img = Charts.image(chart);
        assertEquals(900, img.getWidth());
    }

    @Test
    void splitChartsCountImagesAndPatients() {
        SplitSet splits = new PatientSplitter(1).split(dataset.records(), 0.0, 1.0 / 3);
        CategoryChart sizes = DataPlots.splitSizes(splits.asMap(), "sizes");
        List<Number> images = List.copyOf(sizes.getSeriesMap().get("images").getYData());
        assertEquals(3, images.stream().mapToInt(Number::intValue).sum());
        assertEquals(List.of(2, 0, 1), images.stream().map(Number::intValue).toList());
        assertEquals(600, Charts.image(sizes).getWidth());
        CategoryChart prevalence = DataPlots.splitPrevalence(splits.asMap(), "prevalence");
        assertEquals(3, prevalence.getSeriesMap().size());
        assertTrue(Charts.image(prevalence).getHeight() > 0);
    }

    @Test
    void sampleGridShowsChannelZeroOfEveryImage() {
        BufferedImage grid = DataPlots.sampleGrid(dataset, dataset.records(), 2, 64);
        assertEquals(128, grid.getWidth());
        assertEquals(2 * (64 + 34), grid.getHeight());
        // centre of each tile: grey 200; RGBA channel 0 = 50 (alpha ignored); 16-bit 40000 >> 8 = 156
        assertEquals(200, grid.getRaster().getSample(32, 34 + 32, 0));
        assertEquals(50, grid.getRaster().getSample(64 + 32, 34 + 32, 0));
        assertEquals(40000 >> 8, grid.getRaster().getSample(32, 98 + 34 + 32, 0));
        // empty fourth cell stays white
        assertEquals(255, grid.getRaster().getSample(64 + 32, 98 + 34 + 32, 0));
    }

    @Test
    void greyReadsChannelZero() {
        assertEquals(50, DataPlots.grey(dataset.imagePath(dataset.records().get(1))).getRaster().getSample(3, 3, 0));
        ImageRecord hernia = dataset.record("00000003_000.png").orElseThrow();
        assertEquals(156, DataPlots.grey(dataset.imagePath(hernia)).getRaster().getSample(0, 0, 0));
    }
    @Test
    void filmRowsPutEachSetInItsOwnRowWithTheSameFileInTheSameColumn() {
        Path images = dir.resolve("images");
        java.util.Map<String, List<Path>> sets = new java.util.LinkedHashMap<>();
        sets.put("a", List.of(images.resolve("00000001_000.png"), images.resolve("00000002_000.png")));
        sets.put("b", List.of(images.resolve("00000003_000.png")));
        BufferedImage rows = DataPlots.filmRows(sets, 32);
        assertEquals(2 * 32, rows.getWidth(), "as wide as the longest row");
        assertEquals(2 * (32 + 16), rows.getHeight(), "a 16 px caption above each row of 32 px films");
        assertEquals(200, rows.getRaster().getSample(16, 16 + 16, 0));
        assertEquals(50, rows.getRaster().getSample(48, 16 + 16, 0));
        assertEquals(156, rows.getRaster().getSample(16, 48 + 16 + 16, 0), "16-bit 40000 scaled to 8 bits");
        assertEquals(255, rows.getRaster().getSample(48, 48 + 16 + 16, 0), "a shorter row leaves white");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DataPlots.filmRows(java.util.Map.of(), 32));
    }
}
