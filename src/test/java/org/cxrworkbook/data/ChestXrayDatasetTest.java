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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ChestXrayDatasetTest {

    @TempDir
    Path dir;

    @Test
    void loadsFixtureInRealLayout() {
        ChestXrayDataset ds = ChestXrayDataset.load(Fixtures.dataset(dir));
        assertEquals(9, ds.records().size());
        assertEquals(6, ds.patientCount());
        assertEquals("00000001_000.png", ds.records().get(0).imageIndex());
        assertEquals(Set.of(Finding.HERNIA, Finding.INFILTRATION), ds.record("00000003_001.png").orElseThrow().findings());
        assertTrue(ds.record("nope.png").isEmpty());
        assertEquals(2, ds.boxes().size());
        assertEquals(Finding.INFILTRATION, ds.boxes("00000005_001.png").get(0).finding());
        assertEquals(List.of(), ds.boxes("00000001_000.png"));
        // boxed films in the given order, at most the limit: 00000006_000 and 00000005_001 carry the two boxes
        assertEquals(List.of("00000005_001.png", "00000006_000.png"), names(ds.withBoxes(ds.records(), 10)));
        assertEquals(List.of("00000006_000.png"), names(ds.withBoxes(ds.officialSplits().get("test"), 10)));
        assertEquals(List.of("00000005_001.png"), names(ds.withBoxes(ds.records(), 1)));
        assertEquals(dir.resolve("images/00000002_000.png"), ds.imagePath(ds.records().get(2)));
        assertEquals(Fixtures.TRAIN_VAL, names(ds.officialSplits().get("train_val")));
        assertEquals(Fixtures.TEST, names(ds.officialSplits().get("test")));
    }

    @Test
    void countsFindingsIncludingNoFinding() {
        ChestXrayDataset ds = ChestXrayDataset.load(Fixtures.dataset(dir));
        var counts = ds.findingCounts();
        // hand count over Fixtures.ROWS
        assertEquals(List.of(1, 2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2), List.copyOf(counts.values()));
        assertEquals(Finding.NO_FINDING, List.copyOf(counts.keySet()).get(14));
        Table totals = ds.totals();
        assertEquals(15, totals.rowCount());
        assertEquals("Hernia", totals.stringColumn("finding").get(7));
        assertEquals(2.0 / 9, totals.doubleColumn("prevalence").get(7), 1e-12);
        Table table = ds.table();
        assertEquals(9, table.rowCount());
        assertEquals(3 + 14, table.columnCount());
        assertEquals(2, (int) table.intColumn("Cardiomegaly").sum());
        assertEquals(1, table.intColumn("Follow-up #").get(1));
    }

    @Test
    void readsOlderCsvAndRealDownloadFolders() throws Exception {
        Fixtures.dataset(dir);
        Files.move(dir.resolve(NihFiles.DATA_ENTRY), dir.resolve(NihFiles.DATA_ENTRY_2017));
        Fixtures.write(dir.resolve(NihFiles.DATA_ENTRY_2017), Fixtures.HEADER + ",",
                Fixtures.ROWS.stream().map(r -> r + ",").toList());
        Path part1 = Files.createDirectories(dir.resolve("images_001/images"));
        Path part2 = Files.createDirectories(dir.resolve("images_002/images"));
        try (var files = Files.list(dir.resolve("images"))) {
            for (Path p : files.toList()) {
                Path target = p.getFileName().toString().startsWith("00000001") ? part1 : part2;
                Files.move(p, target.resolve(p.getFileName()));
            }
        }
        Files.delete(dir.resolve("images"));
        ChestXrayDataset ds = ChestXrayDataset.load(dir);
        assertEquals(9, ds.records().size());
        assertEquals(part1.resolve("00000001_001.png"), ds.imagePath(ds.records().get(1)));
        assertEquals(part2.resolve("00000006_000.png"), ds.imagePath(ds.records().get(8)));
    }

    @Test
    void acceptsRgbaAnd16BitImages() {
        Fixtures.dataset(dir);
        Fixtures.png(dir.resolve("images/00000001_000.png"), BufferedImage.TYPE_4BYTE_ABGR);
        Fixtures.png(dir.resolve("images/00000002_000.png"), BufferedImage.TYPE_USHORT_GRAY);
        assertEquals(9, ChestXrayDataset.load(dir).records().size());
    }

    @Test
    void splitsHonourOfficialTestListAndKeepPatientsTogether() {
        ChestXrayDataset ds = ChestXrayDataset.load(Fixtures.dataset(dir));
        SplitSet s = ds.splits(0.3, 7);
        assertEquals(Fixtures.TEST, names(s.test()));
        assertEquals(7, s.train().size() + s.val().size());
        assertEquals(List.of(), s.overlaps());
        assertFalse(s.val().isEmpty());
        assertEquals(s, ds.splits(0.3, 7));
    }

    @Test
    void splitsWithoutOfficialListsArePatientWise() throws Exception {
        Fixtures.dataset(dir);
        Files.delete(dir.resolve(NihFiles.TEST_LIST));
        Files.delete(dir.resolve(NihFiles.TRAIN_VAL_LIST));
        ChestXrayDataset ds = ChestXrayDataset.load(dir);
        assertTrue(ds.officialSplits().isEmpty());
        SplitSet s = ds.splits(0.2, 3);
        assertEquals(9, s.size());
        assertFalse(s.test().isEmpty());
        assertEquals(List.of(), s.overlaps());
    }

    @Test
    void limitKeepsWholePatientsAndRestrictsOfficialLists() {
        ChestXrayDataset ds = ChestXrayDataset.load(Fixtures.dataset(dir));
        ChestXrayDataset small = ds.limit(5, 1);
        assertTrue(small.records().size() <= 5 && small.records().size() >= 4, small.toString());
        Set<String> patients = small.records().stream().map(ImageRecord::patientId).collect(Collectors.toSet());
        for (ImageRecord r : ds.records()) {
            assertEquals(patients.contains(r.patientId()), small.records().contains(r), r.imageIndex());
        }
        int listed = small.officialSplits().values().stream().mapToInt(List::size).sum();
        assertEquals(small.records().size(), listed);
        assertEquals(small.records(), ds.limit(5, 1).records());
        assertEquals(ds, ds.limit(100, 1));
    }

    @Test
    void loadThrowsWithEveryProblem() throws Exception {
        Fixtures.dataset(dir);
        Files.delete(dir.resolve("images/00000002_000.png"));
        Fixtures.lines(dir.resolve(NihFiles.TEST_LIST), List.of("00000004_000.png", "00000099_000.png"));
        DataException e = assertThrows(DataException.class, () -> ChestXrayDataset.load(dir));
        assertEquals(List.of(
                new Problem(NihFiles.DATA_ENTRY, 4, "image file images/00000002_000.png not found (also looked in images_*/images/)"),
                new Problem(NihFiles.TEST_LIST, 2, "unknown image 00000099_000.png (not in Data_Entry)")), e.problems());
        assertTrue(e.getMessage().contains("Data_Entry_2017_v2020.csv:4: image file images/00000002_000.png not found"), e.getMessage());
    }

    private static List<String> names(List<ImageRecord> records) {
        return records.stream().map(ImageRecord::imageIndex).toList();
    }
}
