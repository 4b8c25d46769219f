package org.cxrworkbook.data.phantom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;

/**
 * Everything about a phantom dataset except its pixels: patients and their follow-ups, each image's
 * findings and view, and the patient-wise official-style split. Cheap to build even for 112,120 images.
 */
public final class PhantomPlan {

    /** Probability that a follow-up repeats the patient's own finding set (chronic disease) instead of a fresh draw. */
    static final double REPEAT_PATIENT_FINDINGS = 0.5;

    private static final Map<String, LabelSampler> SAMPLERS = new ConcurrentHashMap<>();

    private final List<PlannedImage> images;
    private final int patients;
    private final int size;

    private PhantomPlan(List<PlannedImage> images, int patients, int size) {
        this.images = List.copyOf(images);
        this.patients = patients;
        this.size = size;
    }

    /** Builds the plan of a generator's configuration. */
    static PhantomPlan create(PhantomGenerator g) {
        int n = g.images();
        int patientCount = g.patientCount();
        long seed = g.seed();
        Site site = g.site();
        LabelSampler sampler = SAMPLERS.computeIfAbsent(site + "/" + g.prevalenceFloor(), key ->
                new LabelSampler(NihPrevalence.targets(site, g.prevalenceFloor()), NihPrevalence.noFindingTarget(site)));
        int[] followUps = followUpCounts(n, patientCount, Seeds.rng(seed, 9));
        // patient-wise split: a seeded shuffle of patients, the first testFraction of them go to test
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < patientCount; p++) {
            order.add(p);
        }
        Collections.shuffle(order, new java.util.Random(Seeds.mix(seed, 12)));
        int testPatients = patientCount < 2 ? 0 : Math.max(1, (int) Math.round(g.testFraction() * patientCount));
        boolean[] test = new boolean[patientCount];
        for (int t = 0; t < testPatients; t++) {
            test[order.get(t)] = true;
        }
        List<PlannedImage> planned = new ArrayList<>(n);
        int imageNumber = 0;
        for (int p = 0; p < patientCount; p++) {
            int number = p + 1 + site.patientIdOffset();
            PatientTraits traits = PatientTraits.draw(number, Seeds.rng(seed, 10, number));
            Set<Finding> chronic = sampler.sample(Seeds.rng(seed, 11, number));
            for (int f = 0; f < followUps[p]; f++) {
                SplittableRandom r = Seeds.rng(seed, 13, imageNumber);
                Set<Finding> findings = r.nextDouble() < REPEAT_PATIENT_FINDINGS ? chronic : sampler.sample(r);
                String view = r.nextDouble() < site.paFraction() ? "PA" : "AP";
                int age = Math.min(99, traits.age() + f / 4);
                String name = String.format("%08d_%03d.png", number, f);
                planned.add(new PlannedImage(imageNumber, name, traits, Integer.toString(number), f, findings, view, age,
                        test[p] ? "test" : "train_val"));
                imageNumber++;
            }
        }
        ensurePositives(planned, g.minPositivesPerSplit(), seed);
        return new PhantomPlan(planned, patientCount, g.size());
    }

    /** Follow-up counts per patient: one each, the rest spread with skewed weights (a few patients get many). */
    static int[] followUpCounts(int images, int patients, SplittableRandom r) {
        if (patients > images) {
            throw new IllegalArgumentException("more patients (" + patients + ") than images (" + images + ")");
        }
        int[] counts = new int[patients];
        double[] cumulative = new double[patients];
        double total = 0;
        for (int p = 0; p < patients; p++) {
            counts[p] = 1;
            double e = -Math.log(1 - r.nextDouble());
            total += e * e;
            cumulative[p] = total;
        }
        for (int extra = images - patients; extra > 0; ) {
            double x = r.nextDouble() * total;
            int idx = java.util.Arrays.binarySearch(cumulative, x);
            int p = Math.min(patients - 1, idx >= 0 ? idx : -idx - 1);
            if (counts[p] < 999) {
                counts[p]++;
                extra--;
            } else if (patients * 999L < images) {
                throw new IllegalArgumentException("too few patients for " + images + " images (at most 999 follow-ups each)");
            }
        }
        return counts;
    }

    /** Raises every finding to at least {@code min} positive images in each split (at most a tenth of the split). */
    private static void ensurePositives(List<PlannedImage> planned, int min, long seed) {
        for (String split : List.of("train_val", "test")) {
            List<Integer> members = new ArrayList<>();
            for (PlannedImage p : planned) {
                if (p.split().equals(split)) {
                    members.add(p.imageNumber());
                }
            }
            // at most a tenth of a split is touched, so tiny sets are not flooded with findings
            int need = Math.min(min, Math.max(1, members.size() / 10));
            for (Finding f : Finding.values()) {
                long have = members.stream().filter(i -> planned.get(i).findings().contains(f)).count();
                List<Integer> candidates = new ArrayList<>(members.stream().filter(i -> !planned.get(i).findings().contains(f)).toList());
                Collections.shuffle(candidates, new java.util.Random(Seeds.mix(seed, 14, split.hashCode(), f.ordinal())));
                for (int c = 0; have < need && c < candidates.size(); c++, have++) {
                    PlannedImage old = planned.get(candidates.get(c));
                    EnumSet<Finding> more = old.findings().isEmpty() ? EnumSet.noneOf(Finding.class) : EnumSet.copyOf(old.findings());
                    more.add(f);
                    planned.set(old.imageNumber(), new PlannedImage(old.imageNumber(), old.imageIndex(), old.traits(),
                            old.patientId(), old.followUp(), more, old.viewPosition(), old.age(), old.split()));
                }
            }
        }
    }

    /** The planned images in Data_Entry order (patient, then follow-up). */
    List<PlannedImage> images() {
        return images;
    }

    /** Number of patients. */
    public int patients() {
        return patients;
    }

    /**
     * The Data_Entry records of all images. As in NIH's file, {@code OriginalImage[Width,Height]} and the pixel
     * spacing describe an original detector image (2500–2999 × 2500–3059 pixels of about 0.14 mm), not the
     * {@code size}² PNG written: the boxes are in the PNG's pixels, so code that wrongly placed boxes with the
     * original size fails on the phantom too instead of only on the real download.
     */
    public List<ImageRecord> records() {
        return images.stream().map(p -> {
            int width = originalWidth(p.imageIndex());
            int height = originalHeight(p.imageIndex());
            double spacing = pixelSpacingMm(p.imageIndex());
            return new ImageRecord(p.imageIndex(), p.patientId(), p.followUp(), p.findings(), p.age(),
                    p.traits().gender(), p.viewPosition(), width, height, spacing, spacing);
        }).toList();
    }

    /** {@code OriginalImage[Width]} of an image in Data_Entry (2500–2999 pixels). */
    static int originalWidth(String imageIndex) {
        return 2500 + Math.floorMod(imageIndex.hashCode(), 500 * 560) % 500;
    }

    /** {@code OriginalImage[Height]} of an image in Data_Entry (2500–3059 pixels). */
    static int originalHeight(String imageIndex) {
        return 2500 + Math.floorMod(imageIndex.hashCode(), 500 * 560) / 500;
    }

    /** {@code OriginalImagePixelSpacing} of an image in Data_Entry, in mm (about 0.13–0.15). */
    static double pixelSpacingMm(String imageIndex) {
        return Math.round(383_000.0 / originalWidth(imageIndex)) / 1000.0;
    }

    /**
     * Width of the film in mm (original width × pixel spacing, about 383 mm): a written {@code size}² PNG has
     * {@code filmWidthMm / size} mm per pixel, which is how lesion sizes in mm become pixels.
     */
    static double filmWidthMm(String imageIndex) {
        return originalWidth(imageIndex) * pixelSpacingMm(imageIndex);
    }

    /** Official-style split lists: image names keyed "train_val" and "test". */
    public Map<String, List<String>> splitLists() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("train_val", images.stream().filter(p -> p.split().equals("train_val")).map(PlannedImage::imageIndex).toList());
        m.put("test", images.stream().filter(p -> p.split().equals("test")).map(PlannedImage::imageIndex).toList());
        return m;
    }
}
