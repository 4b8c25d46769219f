package org.cxrworkbook.data.phantom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;

/**
 * Planted label noise (optional, off by default): NIH's labels were mined from reports and are wrong for a share of
 * films. For each finding, a fraction {@code rate} of the films drawn with it (rounded) are labelled without it, and
 * as many films drawn without it are labelled with it, so its prevalence stays the same and exactly that fraction of
 * its positive labels is wrong. The pixels show what was drawn; the CSV {@link #FILE} lists every flip.
 */
final class LabelNoise {

    /** The list of flipped labels, written next to Data_Entry. */
    static final String FILE = "label_noise.csv";

    /** One flipped label: the film, the finding, and whether the film was drawn with it. */
    record Flip(String imageIndex, Finding finding, boolean drawn) {
    }

    private LabelNoise() {
    }

    /** The flips for these records (image order) at {@code rate} per finding, from a stream seeded by (seed, finding). */
    static List<Flip> choose(List<ImageRecord> records, double rate, long seed) {
        List<Flip> flips = new ArrayList<>();
        for (Finding f : Finding.values()) {
            List<String> with = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (ImageRecord r : records) {
                (r.has(f) ? with : without).add(r.imageIndex());
            }
            int n = (int) Math.min(Math.round(rate * with.size()), without.size());
            SplittableRandom g = Seeds.rng(seed, 17, f.ordinal());
            for (String name : pick(with, n, g)) {
                flips.add(new Flip(name, f, true));
            }
            for (String name : pick(without, n, g)) {
                flips.add(new Flip(name, f, false));
            }
        }
        flips.sort(Comparator.comparing(Flip::imageIndex).thenComparing(Flip::finding));
        return flips;
    }

    /** {@code n} names drawn without replacement (partial Fisher-Yates), in draw order. */
    private static List<String> pick(List<String> names, int n, SplittableRandom g) {
        List<String> a = new ArrayList<>(names);
        for (int i = 0; i < n; i++) {
            int j = i + g.nextInt(a.size() - i);
            String t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
        return a.subList(0, n);
    }

    /** The records with their labels flipped. */
    static List<ImageRecord> apply(List<ImageRecord> records, List<Flip> flips) {
        Map<String, List<Flip>> byImage = new TreeMap<>();
        flips.forEach(fl -> byImage.computeIfAbsent(fl.imageIndex(), k -> new ArrayList<>()).add(fl));
        return records.stream().map(r -> {
            List<Flip> mine = byImage.get(r.imageIndex());
            if (mine == null) {
                return r;
            }
            Set<Finding> labels = r.findings().isEmpty() ? EnumSet.noneOf(Finding.class) : EnumSet.copyOf(r.findings());
            for (Flip fl : mine) {
                if (fl.drawn()) {
                    labels.remove(fl.finding());
                } else {
                    labels.add(fl.finding());
                }
            }
            return new ImageRecord(r.imageIndex(), r.patientId(), r.followUp(), labels, r.patientAge(),
                    r.patientGender(), r.viewPosition(), r.originalWidth(), r.originalHeight(), r.pixelSpacingX(),
                    r.pixelSpacingY());
        }).toList();
    }

    /** Boxes whose finding the (noisy) label still carries: a label flipped off takes its box with it. */
    static List<BoundingBox> keepLabelled(List<BoundingBox> boxes, List<ImageRecord> labelled) {
        Map<String, Set<Finding>> labels = new TreeMap<>();
        labelled.forEach(r -> labels.put(r.imageIndex(), r.findings()));
        return boxes.stream().filter(b -> labels.getOrDefault(b.imageIndex(), Set.of()).contains(b.finding())).toList();
    }

    /** Writes {@link #FILE}: {@code Image Index,Finding Label,Drawn,Labelled} (1/0), one row per flip. */
    static void write(java.nio.file.Path root, List<Flip> flips) {
        StringBuilder sb = new StringBuilder("Image Index,Finding Label,Drawn,Labelled\n");
        for (Flip fl : flips) {
            sb.append(fl.imageIndex()).append(',').append(fl.finding().label()).append(',')
                    .append(fl.drawn() ? 1 : 0).append(',').append(fl.drawn() ? 0 : 1).append('\n');
        }
        AtomicFiles.writeString(root.resolve(FILE), sb.toString());
    }
}
