package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsCsvTest {

    @TempDir
    Path dir;

    private static Predictions sample() {
        return TestPredictions.of(List.of("1", "1", "2"),
                Map.of(Finding.MASS, new int[] {1, 0, 1}),
                Map.of(Finding.MASS, new double[] {0.123456789012345, 1.0 / 3, 0.0}));
    }

    @Test
    void roundTripIsExact() {
        Predictions p = sample();
        Path file = p.write(dir.resolve("sub/predictions.csv"));
        Predictions back = Predictions.read(file);
        assertEquals(p.imageIndex(), back.imageIndex());
        assertEquals(p.patientId(), back.patientId());
        for (Finding f : Finding.all()) {
            assertArrayEquals(p.labels(f), back.labels(f));
            assertArrayEquals(p.probabilities(f), back.probabilities(f), 0);
        }
        assertEquals(1.0 / 3, back.probability(1, Finding.MASS), 0);
    }

    @Test
    void headerHasCanonicalNames() throws IOException {
        Path file = sample().write(dir.resolve("p.csv"));
        String header = Files.readAllLines(file).get(0);
        assertTrue(header.startsWith("Image Index,Patient ID,Atelectasis,Cardiomegaly,"), header);
        assertTrue(header.endsWith(",p_Pleural_Thickening,p_Pneumonia,p_Pneumothorax"), header);
        assertEquals(2 + 28, header.split(",").length);
    }

    @Test
    void javaOnlyNumberSpellingsAreRefusedNamingRowAndColumn() throws IOException {
        List<String> lines = Files.readAllLines(sample().write(dir.resolve("p.csv")));
        Files.write(dir.resolve("p.csv"), List.of(lines.get(0), replaceLast(lines.get(1), "0x1p-2"),
                replaceLast(lines.get(2), "0.5f"), replaceLast(lines.get(3), "2.5e-1")));
        DataException e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
        assertEquals(List.of(2L, 3L), e.problems().stream().map(org.cxrworkbook.data.Problem::row).toList());
        assertTrue(e.problems().get(0).message().contains("p_Pneumothorax") && e.problems().get(0).message()
                .contains("0x1p-2"), e.getMessage());
        assertTrue(e.problems().get(1).message().contains("0.5f"), e.getMessage());
    }

    @Test
    void missingColumnsAreNamed() throws IOException {
        List<String> lines = Files.readAllLines(sample().write(dir.resolve("p.csv")));
        String header = lines.get(0).replace(",p_Hernia,", ",p_Hernia_x,").replace("Patient ID", "Patient");
        Files.write(dir.resolve("p.csv"), List.of(header, lines.get(1)));
        DataException e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
        assertTrue(e.getMessage().contains("missing column(s): Patient ID, p_Hernia"), e.getMessage());
        assertTrue(e.getMessage().contains("p.csv:1"), e.getMessage());
    }

    @Test
    void nanAndOutOfRangeProbabilitiesNameFileAndRow() throws IOException {
        List<String> lines = Files.readAllLines(sample().write(dir.resolve("p.csv")));
        Files.write(dir.resolve("p.csv"), List.of(lines.get(0), replaceLast(lines.get(1), "NaN"),
                lines.get(2), replaceLast(lines.get(3), "1.5")));
        DataException e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
        assertEquals(2, e.problems().size());
        assertEquals(2, e.problems().get(0).row());
        assertTrue(e.problems().get(0).message().contains("p_Pneumothorax") && e.problems().get(0).message().contains("NaN"));
        assertEquals(4, e.problems().get(1).row());
        assertTrue(e.problems().get(1).message().contains("1.5"));
        assertTrue(e.problems().get(1).file().endsWith("p.csv"));
        Files.write(dir.resolve("p.csv"), List.of(lines.get(0), replaceLast(lines.get(1), "-0.1")));
        assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
        Files.write(dir.resolve("p.csv"), List.of(lines.get(0), replaceLast(lines.get(1), "high")));
        assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
    }

    @Test
    void duplicateImageNamesBothRows() throws IOException {
        List<String> lines = Files.readAllLines(sample().write(dir.resolve("p.csv")));
        Files.write(dir.resolve("p.csv"), List.of(lines.get(0), lines.get(1), lines.get(2), lines.get(1)));
        DataException e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
        assertEquals(4, e.problems().get(0).row());
        assertTrue(e.getMessage().contains("duplicate image 00000001_000.png (also on line 2)"), e.getMessage());
    }

    @Test
    void emptyFileAndEmptySplit() throws IOException {
        Files.writeString(dir.resolve("empty.csv"), "");
        DataException e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("empty.csv")));
        assertTrue(e.getMessage().contains("empty.csv") && e.getMessage().contains("empty file"), e.getMessage());
        Files.writeString(dir.resolve("header.csv"), String.join(",", PredictionsCsv.header()) + "\n");
        e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("header.csv")));
        assertTrue(e.getMessage().contains("split is empty"), e.getMessage());
        e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("absent.csv")));
        assertTrue(e.getMessage().contains("absent.csv"), e.getMessage());
    }

    @Test
    void labelsMustBeZeroOrOneAndRowsComplete() throws IOException {
        List<String> lines = Files.readAllLines(sample().write(dir.resolve("p.csv")));
        String[] fields = lines.get(1).split(",");
        fields[2] = "2";   // Atelectasis
        String bad = String.join(",", fields);
        Files.write(dir.resolve("p.csv"), List.of(lines.get(0), bad, lines.get(2) + ",extra"));
        DataException e = assertThrows(DataException.class, () -> Predictions.read(dir.resolve("p.csv")));
        assertTrue(e.problems().stream().anyMatch(p -> p.row() == 2 && p.message().contains("label Atelectasis must be 0 or 1, found '2'")),
                e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.row() == 3 && p.message().contains("expected 30 fields, found 31")),
                e.getMessage());
    }

    @Test
    void ofRejectsInconsistentRows() {
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(List.of("a", "a"), List.of("1", "1"),
                new int[2][Finding.COUNT], new double[2][Finding.COUNT]));
        double[][] p = new double[1][Finding.COUNT];
        p[0][3] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> Predictions.of(List.of("a"), List.of("1"), new int[1][Finding.COUNT], p));
    }

    @Test
    void tableHasOneRowPerImage() {
        assertEquals(3, sample().table().rowCount());
        assertEquals(30, sample().table().columnCount());
        assertEquals(2, sample().rowsByPatient().size());
    }

    private static String replaceLast(String line, String value) {
        return line.substring(0, line.lastIndexOf(',') + 1) + value;
    }
}
