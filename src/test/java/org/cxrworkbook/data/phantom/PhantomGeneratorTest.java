package org.cxrworkbook.data.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.NihFiles;
import org.cxrworkbook.data.NihLayoutWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated dataset on disk: layout, determinism, boxes, patients and splits. */
class PhantomGeneratorTest {

    private static final Pattern NAME = Pattern.compile("(\\d{8})_(\\d{3})\\.png");

    @TempDir
    static Path dir;

    static Path oneThread;
    static Path twoThreads;
    static PhantomSummary summary;

    private static PhantomGenerator.Builder small() {
        return PhantomGenerator.builder().images(48).meanFollowUps(2.5).size(96).seed(11).progress(null);
    }

    @BeforeAll
    static void generate() {
        oneThread = dir.resolve("t1");
        twoThreads = dir.resolve("t2");
        summary = small().threads(1).build().generate(oneThread);
        small().threads(2).build().generate(twoThreads);
    }

    @Test
    void sameSeedGivesIdenticalFilesWhateverTheThreadCount() throws IOException {
        for (String csv : List.of("Data_Entry_2017_v2020.csv", "BBox_List_2017.csv", "train_val_list.txt", "test_list.txt")) {
            assertArrayEquals(Files.readAllBytes(oneThread.resolve(csv)), Files.readAllBytes(twoThreads.resolve(csv)), csv);
        }
        for (String name : imageNames(oneThread)) {
            assertArrayEquals(pixels(oneThread.resolve("images").resolve(name)),
                    pixels(twoThreads.resolve("images").resolve(name)), name);
        }
    }

    @Test
    void thePhantomMarksItselfAndNihFilesRecognisesIt() throws IOException {
        assertTrue(org.cxrworkbook.data.NihFiles.isPhantom(oneThread));
        String marker = Files.readString(oneThread.resolve(org.cxrworkbook.data.NihFiles.PHANTOM_MARKER));
        assertTrue(marker.contains("\"generator\": \"cxr-workbook phantom\""), marker);
        assertArrayEquals(Files.readAllBytes(oneThread.resolve("phantom.json")), Files.readAllBytes(twoThreads.resolve("phantom.json")));
        Path plain = dir.resolve("not-a-phantom");
        Files.createDirectories(plain);
        assertFalse(org.cxrworkbook.data.NihFiles.isPhantom(plain));
    }

    @Test
    void differentSeedGivesDifferentData() throws IOException {
        Path other = dir.resolve("seed12");
        small().seed(12).images(12).build().generate(other);
        String first = imageNames(other).get(0);
        assertFalse(java.util.Arrays.equals(pixels(other.resolve("images").resolve(first)),
                pixels(oneThread.resolve("images").resolve(first))));
    }

    @Test
    void csvHeadersAndFieldCountsAreNihs() throws IOException {
        List<String> entry = Files.readAllLines(oneThread.resolve("Data_Entry_2017_v2020.csv"));
        assertEquals("Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,"
                + "OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]", entry.get(0));
        assertEquals(48 + 1, entry.size());
        for (String row : entry) {
            assertEquals(11, row.split(",", -1).length, row);
        }
        List<String> boxes = Files.readAllLines(oneThread.resolve("BBox_List_2017.csv"));
        assertEquals("Image Index,Finding Label,Bbox [x,y,w,h],,,", boxes.get(0));
        for (String row : boxes.subList(1, boxes.size())) {
            String[] f = row.split(",", -1);
            assertEquals(6, f.length, row);
            assertNotEquals("Infiltration", f[1], "the box list spells Infiltrate");
            for (int i = 2; i < 6; i++) {
                assertTrue(f[i].contains("."), "NIH writes box coordinates as floats: " + row);
            }
        }
    }

    @Test
    void imagesArePatientFollowUpNamedGreyPngsOfTheRequestedSize() throws IOException {
        List<String> rows = dataRows(oneThread);
        Map<String, Set<Integer>> followUps = new HashMap<>();
        for (String row : rows) {
            String[] f = row.split(",");
            Matcher m = NAME.matcher(f[0]);
            assertTrue(m.matches(), f[0]);
            assertEquals(Integer.parseInt(m.group(1)), Integer.parseInt(f[3]), "patient id matches the name: " + row);
            assertEquals(Integer.parseInt(m.group(2)), Integer.parseInt(f[2]), "follow-up matches the name: " + row);
            followUps.computeIfAbsent(f[3], k -> new HashSet<>()).add(Integer.parseInt(f[2]));
            BufferedImage img = ImageIO.read(oneThread.resolve("images").resolve(f[0]).toFile());
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
            assertEquals(96, img.getWidth());
            assertEquals(96, img.getHeight());
        }
        // follow-ups of each patient are numbered 0..n-1 without gaps
        for (Set<Integer> f : followUps.values()) {
            assertEquals(f.size() - 1, f.stream().mapToInt(Integer::intValue).max().orElseThrow());
        }
        assertEquals(summary.patients(), followUps.size());
        assertEquals(Math.round(48 / 2.5), followUps.size());
        try (Stream<Path> files = Files.list(oneThread.resolve("images"))) {
            assertEquals(48, files.count(), "exactly the listed images, no temporary files");
        }
    }

    @Test
    void boxesLieInsideTheImageAndOnlyForLocalisableFindingsOfThatImage() throws IOException {
        Map<String, Set<String>> labels = new HashMap<>();
        for (String row : dataRows(oneThread)) {
            String[] f = row.split(",");
            labels.put(f[0], Set.of(f[1].split("\\|")));
        }
        Set<String> boxed = new HashSet<>();
        for (String row : Files.readAllLines(oneThread.resolve("BBox_List_2017.csv")).stream().skip(1).toList()) {
            String[] f = row.split(",");
            Finding finding = Finding.fromLabel(f[1]).orElseThrow();
            assertTrue(LesionPainter.LOCALISABLE.contains(finding), row);
            assertTrue(labels.get(f[0]).contains(finding.label()), "box for a finding the image carries: " + row);
            double x = Double.parseDouble(f[2]);
            double y = Double.parseDouble(f[3]);
            double w = Double.parseDouble(f[4]);
            double h = Double.parseDouble(f[5]);
            assertTrue(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 96 && y + h <= 96, row);
            boxed.add(f[0] + "/" + finding.label());
        }
        int localisable = 0;
        for (Map.Entry<String, Set<String>> e : labels.entrySet()) {
            for (String label : e.getValue()) {
                if (Finding.fromLabel(label).filter(LesionPainter.LOCALISABLE::contains).isPresent()) {
                    localisable++;
                    assertTrue(boxed.contains(e.getKey() + "/" + label), "box missing for " + e.getKey() + " " + label);
                }
            }
        }
        assertTrue(localisable > 10, "the small set has localisable findings: " + localisable);
        assertEquals(summary.boxes(), Files.readAllLines(oneThread.resolve("BBox_List_2017.csv")).size() - 1);
    }

    @Test
    void splitListsCoverAllImagesAndAreDisjointByPatient() throws IOException {
        List<String> trainVal = Files.readAllLines(oneThread.resolve(NihFiles.TRAIN_VAL_LIST));
        List<String> test = Files.readAllLines(oneThread.resolve(NihFiles.TEST_LIST));
        Set<String> all = new HashSet<>(trainVal);
        all.addAll(test);
        assertEquals(new HashSet<>(imageNames(oneThread)), all);
        assertEquals(48, trainVal.size() + test.size());
        Set<String> trainPatients = trainVal.stream().map(n -> n.substring(0, 8)).collect(Collectors.toSet());
        Set<String> testPatients = test.stream().map(n -> n.substring(0, 8)).collect(Collectors.toSet());
        trainPatients.retainAll(testPatients);
        assertTrue(trainPatients.isEmpty(), "patients in both splits: " + trainPatients);
        assertEquals(Math.round(0.22 * summary.patients()), testPatients.size());
    }

    @Test
    void summaryCountsMatchTheCsv() throws IOException {
        List<String> rows = dataRows(oneThread);
        for (Finding f : Finding.values()) {
            long n = rows.stream().filter(r -> Set.of(r.split(",")[1].split("\\|")).contains(f.label())).count();
            assertEquals(n, (long) summary.labelCounts().get(f.label()), f.label());
        }
        assertEquals(rows.stream().filter(r -> r.split(",")[1].equals("No Finding")).count(),
                (long) summary.labelCounts().get("No Finding"));
        assertTrue(summary.imagesPerSecond() > 0);
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PhantomGenerator.builder().images(0).build());
        assertThrows(IllegalArgumentException.class, () -> PhantomGenerator.builder().size(8).build());
        assertThrows(IllegalArgumentException.class, () -> PhantomGenerator.builder().threads(0).build());
        assertThrows(IllegalArgumentException.class, () -> PhantomGenerator.builder().images(5).patients(6).build());
        assertThrows(IllegalArgumentException.class, () -> PhantomGenerator.builder().prevalenceFloor(0.5).build());
    }

    static List<String> imageNames(Path root) throws IOException {
        return dataRows(root).stream().map(r -> r.split(",")[0]).toList();
    }

    static List<String> dataRows(Path root) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("Data_Entry_2017_v2020.csv"));
        return lines.subList(1, lines.size());
    }

    static byte[] pixels(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }
}
