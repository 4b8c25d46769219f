package org.cxrworkbook.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded split of images into parts that never share a patient, stratified on findings as far as
 * whole patients allow.
 *
 * <p>What it guarantees: every image lands in exactly one part, no patient is in two parts, and the
 * same records with the same seed give the same split. What it aims for, without guarantee: each part
 * holding its fraction of the images and of every finding's images. Method (greedy stratification
 * over whole patients, in the spirit of Sechidis et al. 2011's iterative stratification): patients
 * are shuffled with the seed, then stably sorted by the rarest finding any of their images carries
 * (patients with only "No Finding" last) and, within that, largest first; each patient goes to the
 * part where adding it lowers a chi-square distance to the targets most (Σ (count − target)² / target
 * over every finding, "No Finding" and the image count itself, target = fraction × total). Unlike
 * looking at the rarest finding alone, this sees all of a patient's findings, so a patient with many
 * films of a common finding goes where those films hurt least. A finding concentrated in a few
 * patients can still end up unevenly shared: {@link SplitBalance} measures what a split achieved.
 */
public final class PatientSplitter {

    /**
     * How much more the image count weighs than one finding in the distance: the part sizes are what
     * callers ask for, the finding shares follow as far as patients allow.
     */
    private static final double IMAGE_WEIGHT = 4;

    private final long seed;

    public PatientSplitter(long seed) {
        this.seed = seed;
    }

    /** Train/val/test split: {@code testFraction} of images to test, {@code valFraction} to val, the rest to train. */
    public SplitSet split(List<ImageRecord> records, double valFraction, double testFraction) {
        checkFraction(valFraction);
        checkFraction(testFraction);
        if (valFraction + testFraction >= 1) {
            throw new IllegalArgumentException("val + test fractions must be below 1, got " + (valFraction + testFraction));
        }
        List<List<ImageRecord>> parts = parts(records, 1 - valFraction - testFraction, valFraction, testFraction);
        return new SplitSet(parts.get(0), parts.get(1), parts.get(2));
    }

    /** Splits into {@code fractions.length} parts (fractions are normalised to sum 1); each part keeps the input order. */
    public List<List<ImageRecord>> parts(List<ImageRecord> records, double... fractions) {
        double sum = 0;
        for (double f : fractions) {
            checkFraction(f);
            sum += f;
        }
        if (fractions.length == 0 || sum <= 0) {
            throw new IllegalArgumentException("need at least one positive fraction");
        }
        int parts = fractions.length;
        int n = records.size();
        int[] counts = findingCounts(records);
        double[] imageTarget = new double[parts];
        double[][] findingTarget = new double[parts][Finding.COUNT];
        for (int s = 0; s < parts; s++) {
            imageTarget[s] = fractions[s] / sum * n;
            for (int f = 0; f < Finding.COUNT; f++) {
                findingTarget[s][f] = fractions[s] / sum * counts[f];
            }
        }
        int noFindingTotal = (int) records.stream().filter(ImageRecord::noFinding).count();
        double[] noFindingTarget = new double[parts];
        for (int s = 0; s < parts; s++) {
            noFindingTarget[s] = fractions[s] / sum * noFindingTotal;
        }
        double[] images = new double[parts];
        double[] noFinding = new double[parts];
        double[][] found = new double[parts][Finding.COUNT];
        Map<String, Integer> partOf = new LinkedHashMap<>();
        for (Patient p : orderedPatients(records, counts, true)) {
            int best = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int s = 0; s < parts; s++) {
                if (fractions[s] == 0) {
                    continue;
                }
                double cost = IMAGE_WEIGHT * added(images[s], p.images.size(), imageTarget[s])
                        + added(noFinding[s], p.noFinding, noFindingTarget[s]);
                for (int f = 0; f < Finding.COUNT; f++) {
                    if (p.findingCounts[f] > 0) {
                        cost += added(found[s][f], p.findingCounts[f], findingTarget[s][f]);
                    }
                }
                if (cost < bestCost) {
                    bestCost = cost;
                    best = s;
                }
            }
            partOf.put(p.id, best);
            images[best] += p.images.size();
            noFinding[best] += p.noFinding;
            for (int f = 0; f < Finding.COUNT; f++) {
                found[best][f] += p.findingCounts[f];
            }
        }
        List<List<ImageRecord>> result = new ArrayList<>();
        for (int s = 0; s < parts; s++) {
            result.add(new ArrayList<>());
        }
        for (ImageRecord r : records) {
            result.get(partOf.get(r.patientId())).add(r);
        }
        return result.stream().map(List::copyOf).toList();
    }

    /**
     * At most {@code maxImages} images made of whole patients, stratified: patients (rarest finding first)
     * are taken while their rarest finding is below its proportional quota, then remaining room is
     * filled with other patients in seeded order. Keeps the input order.
     */
    public List<ImageRecord> subset(List<ImageRecord> records, long maxImages) {
        if (maxImages >= records.size()) {
            return List.copyOf(records);
        }
        int[] counts = findingCounts(records);
        double share = (double) maxImages / records.size();
        int noFindingCount = (int) records.stream().filter(ImageRecord::noFinding).count();
        long kept = 0;
        int[] keptFindings = new int[Finding.COUNT];
        int keptNoFinding = 0;
        java.util.Set<String> keep = new java.util.HashSet<>();
        List<Patient> order = orderedPatients(records, counts, false);
        for (Patient p : order) {
            if (kept + p.images.size() > maxImages) {
                continue;
            }
            boolean wanted = p.rarest < 0
                    ? keptNoFinding < Math.ceil(share * noFindingCount)
                    : keptFindings[p.rarest] < Math.ceil(share * counts[p.rarest]);
            if (wanted) {
                keep.add(p.id);
                kept += p.images.size();
                for (int f = 0; f < Finding.COUNT; f++) {
                    keptFindings[f] += p.findingCounts[f];
                }
                keptNoFinding += p.noFinding;
            }
        }
        List<Patient> rest = new ArrayList<>(order);
        Collections.shuffle(rest, new Random(seed + 1));
        for (Patient p : rest) {
            if (!keep.contains(p.id) && kept + p.images.size() <= maxImages) {
                keep.add(p.id);
                kept += p.images.size();
            }
        }
        return records.stream().filter(r -> keep.contains(r.patientId())).toList();
    }

    /**
     * Change in the chi-square term (count − target)² / target when {@code add} images join a part
     * holding {@code have}; targets below one count as one, so empty targets still cost something.
     */
    private static double added(double have, double add, double target) {
        double t = Math.max(1, target);
        double before = have - target;
        double after = have + add - target;
        return (after * after - before * before) / t;
    }

    private List<Patient> orderedPatients(List<ImageRecord> records, int[] counts, boolean largestFirst) {
        Map<String, Patient> byId = new LinkedHashMap<>();
        for (ImageRecord r : records) {
            byId.computeIfAbsent(r.patientId(), Patient::new).add(r);
        }
        List<Patient> patients = new ArrayList<>(byId.values());
        Collections.shuffle(patients, new Random(seed));
        for (Patient p : patients) {
            p.rarest = -1;
            for (int f = 0; f < Finding.COUNT; f++) {
                if (p.findingCounts[f] > 0 && (p.rarest < 0 || counts[f] < counts[p.rarest])) {
                    p.rarest = f;
                }
            }
        }
        Comparator<Patient> rarestFirst = Comparator.comparingInt(p -> p.rarest < 0 ? Integer.MAX_VALUE : counts[p.rarest]);
        patients.sort(largestFirst ? rarestFirst.thenComparingInt(p -> -p.images.size()) : rarestFirst);
        return patients;
    }

    static int[] findingCounts(List<ImageRecord> records) {
        int[] counts = new int[Finding.COUNT];
        for (ImageRecord r : records) {
            for (Finding f : r.findings()) {
                counts[f.ordinal()]++;
            }
        }
        return counts;
    }

    private static void checkFraction(double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + f);
        }
    }

    /** One patient's images and finding counts. */
    private static final class Patient {
        final String id;
        final List<ImageRecord> images = new ArrayList<>();
        final int[] findingCounts = new int[Finding.COUNT];
        int noFinding;
        int rarest;

        Patient(String id) {
            this.id = id;
        }

        void add(ImageRecord r) {
            images.add(r);
            for (Finding f : r.findings()) {
                findingCounts[f.ordinal()]++;
            }
            if (r.noFinding()) {
                noFinding++;
            }
        }
    }
}
