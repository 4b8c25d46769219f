package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PatientSplitterTest {

    /** NIH-like prevalence per finding (canonical order), scaled down; Hernia is rare. */
    private static final double[] PREVALENCE = {0.10, 0.025, 0.04, 0.02, 0.12, 0.022, 0.015, 0.004, 0.18, 0.05,
            0.056, 0.03, 0.013, 0.047};

    /** 800 patients with 1..9 images each (about 4,000 images), findings drawn independently. */
    static List<ImageRecord> synthetic(long seed) {
        Random rnd = new Random(seed);
        List<ImageRecord> records = new ArrayList<>();
        for (int p = 1; p <= 800; p++) {
            int n = 1 + rnd.nextInt(9);
            for (int k = 0; k < n; k++) {
                EnumSet<Finding> f = EnumSet.noneOf(Finding.class);
                for (Finding finding : Finding.all()) {
                    if (rnd.nextDouble() < PREVALENCE[finding.ordinal()]) {
                        f.add(finding);
                    }
                }
                records.add(ImageRecord.of(String.format("%08d_%03d.png", p, k), Integer.toString(p), f));
            }
        }
        return records;
    }

    @Test
    void partsAreDisjointByPatientAndCoverEveryImage() {
        List<ImageRecord> records = synthetic(1);
        SplitSet s = new PatientSplitter(42).split(records, 0.1, 0.2);
        assertEquals(records.size(), s.size());
        Set<ImageRecord> all = new HashSet<>();
        s.asMap().values().forEach(all::addAll);
        assertEquals(new HashSet<>(records), all);
        assertEquals(List.of(), s.overlaps());
    }

    @Test
    void fractionsAreRoughlyRespected() {
        List<ImageRecord> records = synthetic(2);
        SplitSet s = new PatientSplitter(42).split(records, 0.1, 0.2);
        double n = records.size();
        assertEquals(0.7, s.train().size() / n, 0.02);
        assertEquals(0.1, s.val().size() / n, 0.02);
        assertEquals(0.2, s.test().size() / n, 0.02);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<ImageRecord> records = synthetic(3);
        assertEquals(new PatientSplitter(5).split(records, 0.1, 0.2), new PatientSplitter(5).split(records, 0.1, 0.2));
        assertNotEquals(new PatientSplitter(5).split(records, 0.1, 0.2), new PatientSplitter(6).split(records, 0.1, 0.2));
    }

    @Test
    void findingsAreStratifiedAcrossParts() {
        List<ImageRecord> records = synthetic(4);
        SplitSet s = new PatientSplitter(42).split(records, 0.1, 0.2);
        int[] total = PatientSplitter.findingCounts(records);
        double[] fractions = {0.7, 0.1, 0.2};
        List<List<ImageRecord>> parts = List.of(s.train(), s.val(), s.test());
        for (Finding f : Finding.all()) {
            for (int p = 0; p < 3; p++) {
                int got = PatientSplitter.findingCounts(parts.get(p))[f.ordinal()];
                double want = fractions[p] * total[f.ordinal()];
                // within 25 % of the target, or 3 images for rare findings
                assertTrue(Math.abs(got - want) <= Math.max(3, 0.25 * want),
                        f + " part " + p + ": " + got + " vs target " + want);
                assertTrue(got > 0, f + " missing from part " + p);
            }
        }
    }

    @Test
    void aPatientWithManyFilmsOfACommonFindingGoesWhereTheyFit() {
        // 300 one-film patients (Mass on every 25th), plus one patient with 24 Mass films: 36 Mass films in all.
        // Splitting 90/10, val's Mass target is 3.6 films: putting the big patient there would give val
        // 24 + Mass films (a quarter of its ~32 films); in train they are 24 of ~32 targeted Mass films.
        List<ImageRecord> records = new ArrayList<>();
        for (int p = 1; p <= 300; p++) {
            Set<Finding> f = p % 25 == 0 ? EnumSet.of(Finding.MASS) : EnumSet.of(Finding.INFILTRATION);
            records.add(ImageRecord.of(String.format("%08d_000.png", p), Integer.toString(p), f));
        }
        for (int k = 0; k < 24; k++) {
            records.add(ImageRecord.of(String.format("%08d_%03d.png", 999, k), "999",
                    EnumSet.of(Finding.MASS, Finding.HERNIA)));
        }
        for (long seed = 1; seed <= 20; seed++) {
            List<List<ImageRecord>> parts = new PatientSplitter(seed).parts(records, 0.9, 0.1);
            assertTrue(parts.get(0).stream().anyMatch(r -> r.patientId().equals("999")), "seed " + seed);
            int valMass = PatientSplitter.findingCounts(parts.get(1))[Finding.MASS.ordinal()];
            assertTrue(Math.abs(valMass - 3.6) <= 2, "seed " + seed + ": " + valMass + " Mass films in val");
        }
    }

    @Test
    void subsetKeepsWholePatientsWithinTheCap() {
        List<ImageRecord> records = synthetic(5);
        List<ImageRecord> small = new PatientSplitter(9).subset(records, 500);
        assertTrue(small.size() <= 500 && small.size() >= 490, "size " + small.size());
        Set<String> patients = small.stream().map(ImageRecord::patientId).collect(Collectors.toSet());
        assertEquals(records.stream().filter(r -> patients.contains(r.patientId())).toList(), small);
        assertEquals(small, new PatientSplitter(9).subset(records, 500));
        int[] counts = PatientSplitter.findingCounts(small);
        for (Finding f : Finding.all()) {
            assertTrue(counts[f.ordinal()] > 0, f + " missing from the subset");
        }
    }

    @Test
    void rowSplitLeaksPatients() {
        List<ImageRecord> records = synthetic(6);
        SplitSet leaky = RowSplitter.split(records, 0.1, 0.2, 42);
        assertEquals(records.size(), leaky.size());
        assertEquals(Math.round(0.2 * records.size()), leaky.test().size());
        List<Overlap> overlaps = leaky.overlaps();
        assertEquals(3, overlaps.size());
        assertFalse(overlaps.get(1).patientIds().isEmpty());
    }

    @Test
    void rejectsBadFractions() {
        PatientSplitter s = new PatientSplitter(1);
        assertThrows(IllegalArgumentException.class, () -> s.split(List.of(), 0.6, 0.5));
        assertThrows(IllegalArgumentException.class, () -> s.split(List.of(), -0.1, 0.2));
    }
}
