package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.Finding;

/**
 * Picks cases for a gallery of correct and wrong predictions at a probability threshold: true positives with the
 * highest probability, false positives with the highest probability, false negatives with the lowest.
 */
public final class CaseSelector {

    /** Kind of a gallery case. */
    public enum Kind {
        TRUE_POSITIVE("true positive"), FALSE_POSITIVE("false positive"), FALSE_NEGATIVE("false negative");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Human-readable name. */
        public String label() {
            return label;
        }
    }

    /** One selected (image, finding) with its probability and whether it is labelled. */
    public record Pick(Kind kind, int imageIndexInList, String imageIndex, Finding finding, double probability) {
    }

    /** Labels and probabilities of one image. */
    public record Scored(String imageIndex, Set<Finding> findings, double[] probabilities) {
    }

    private CaseSelector() {
    }

    /** Up to {@code perKind} picks of each kind (ordered TP, FP, FN), each (image, finding) pair judged at threshold. */
    public static List<Pick> select(List<Scored> images, double threshold, int perKind) {
        List<Pick> tp = new ArrayList<>();
        List<Pick> fp = new ArrayList<>();
        List<Pick> fn = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Scored s = images.get(i);
            for (Finding f : Finding.values()) {
                double p = s.probabilities()[f.ordinal()];
                boolean label = s.findings().contains(f);
                boolean predicted = p >= threshold;
                if (label && predicted) {
                    tp.add(new Pick(Kind.TRUE_POSITIVE, i, s.imageIndex(), f, p));
                } else if (!label && predicted) {
                    fp.add(new Pick(Kind.FALSE_POSITIVE, i, s.imageIndex(), f, p));
                } else if (label) {
                    fn.add(new Pick(Kind.FALSE_NEGATIVE, i, s.imageIndex(), f, p));
                }
            }
        }
        Comparator<Pick> high = Comparator.comparingDouble(Pick::probability).reversed()
                .thenComparing(Pick::imageIndex).thenComparing(Pick::finding);
        Comparator<Pick> low = Comparator.comparingDouble(Pick::probability)
                .thenComparing(Pick::imageIndex).thenComparing(Pick::finding);
        List<Pick> out = new ArrayList<>();
        out.addAll(tp.stream().sorted(high).limit(perKind).toList());
        out.addAll(fp.stream().sorted(high).limit(perKind).toList());
        out.addAll(fn.stream().sorted(low).limit(perKind).toList());
        return out;
    }
}
