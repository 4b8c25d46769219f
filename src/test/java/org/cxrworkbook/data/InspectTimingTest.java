package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times {@code inspect} on a generated NIH-sized Data_Entry CSV (112,120 rows, 30,805 patients) with
 * one tiny PNG per row and the official-size split lists. Slow (writes 112k files): run on demand with
 * {@code mvn -o test -Dtest=InspectTimingTest -Dcxr.timing=true}.
 */
@EnabledIfSystemProperty(named = "cxr.timing", matches = "true")
class InspectTimingTest {

    @TempDir
    Path dir;

    @Test
    void inspectNihSizedDataset() throws Exception {
        int rows = 112_120;
        int patients = 30_805;
        Random rnd = new Random(1);
        List<String> lines = new ArrayList<>(rows);
        List<String> names = new ArrayList<>(rows);
        int[] followUps = new int[patients + 1];
        for (int i = 0; i < rows; i++) {
            int p = i < patients ? i + 1 : 1 + rnd.nextInt(patients);
            String name = String.format("%08d_%03d.png", p, followUps[p]);
            String labels = rnd.nextDouble() < 0.54 ? "No Finding"
                    : Finding.all().get(rnd.nextInt(Finding.COUNT)).label()
                    + (rnd.nextDouble() < 0.3 ? "|" + Finding.all().get(rnd.nextInt(Finding.COUNT)).label() : "");
            if (labels.indexOf('|') > 0 && labels.split("\\|")[0].equals(labels.split("\\|")[1])) {
                labels = labels.split("\\|")[0];
            }
            lines.add(name + "," + labels + "," + followUps[p] + "," + p + ",50,M,PA,2500,2048,0.143,0.143");
            names.add(name);
            followUps[p]++;
        }
        Fixtures.write(dir.resolve(NihFiles.DATA_ENTRY), Fixtures.HEADER, lines);
        Fixtures.lines(dir.resolve(NihFiles.TRAIN_VAL_LIST), names.stream().filter(n -> patientOf(n) % 11 != 0).toList());
        Fixtures.lines(dir.resolve(NihFiles.TEST_LIST), names.stream().filter(n -> patientOf(n) % 11 == 0).toList());

        for (int warm = 0; warm < 2; warm++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            Parsed<ImageRecord> parsed = DataEntryReader.read(dir.resolve(NihFiles.DATA_ENTRY));
            assertEquals(rows, parsed.items().size());
            System.out.printf("DataEntryReader.read, %d rows (run %d): %.2f s wall, %.2f s process CPU%n", rows, warm + 1,
                    (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
        }
        long t1 = System.nanoTime();

        InspectionReport noImages = DatasetInspector.inspect(dir, true);
        long t2 = System.nanoTime();
        assertEquals(rows, noImages.problems().size()); // every image missing
        System.out.printf("inspect, CSV + lists, no image files (112,120 missing-image problems): %.2f s%n", (t2 - t1) / 1e9);

        Path png = Fixtures.png(dir.resolve("one.png"), BufferedImage.TYPE_BYTE_GRAY);
        Path images = Files.createDirectories(dir.resolve(NihFiles.IMAGES));
        byte[] bytes = Files.readAllBytes(png);
        for (String n : names) {
            Files.write(images.resolve(n), bytes);
        }
        for (boolean headers : new boolean[] {false, true, true}) {
            long cpu0 = cpuNanos();
            long s = System.nanoTime();
            InspectionReport r = DatasetInspector.inspect(dir, headers);
            long e = System.nanoTime();
            long cpu = cpuNanos() - cpu0;
            assertEquals(List.of(), r.problems());
            assertEquals(rows, r.images());
            assertEquals(patients, r.patients());
            System.out.printf("inspect, CSV + lists + %d image files, %s: %.2f s wall, %.2f s process CPU, load average %.1f%n",
                    rows, headers ? "PNG signature/header/IEND read" : "existence only", (e - s) / 1e9, cpu / 1e9,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int patientOf(String name) {
        return Integer.parseInt(name.substring(0, 8));
    }
}
