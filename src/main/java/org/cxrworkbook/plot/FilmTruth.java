package org.cxrworkbook.plot;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.explain.ExplainSample;

/**
 * What is known about a film, to draw onto its heatmaps: its name, its true findings ({@code labelled} false for a
 * film of unknown diagnosis, e.g. {@code ./cxr predict} on any PNG) and its lesion boxes in the pixels of an image of
 * {@code boxSpaceWidth × boxSpaceHeight} (the PNG as loaded), scaled to whatever size the film is shown at.
 */
public record FilmTruth(String name, boolean labelled, Set<Finding> findings, List<BoundingBox> boxes,
                        double boxSpaceWidth, double boxSpaceHeight) {

    /** Copies the collections. */
    public FilmTruth {
        findings = Set.copyOf(findings);
        boxes = List.copyOf(boxes);
    }

    /** The labels and boxes of a test film as loaded with its record. */
    public static FilmTruth of(ExplainSample sample) {
        return new FilmTruth(sample.imageIndex(), true, sample.findings(), sample.boxes(), sample.pngWidth(),
                sample.pngHeight());
    }

    /** A film whose findings are not known (no labels, no boxes). */
    public static FilmTruth unlabelled(String name) {
        return new FilmTruth(name, false, Set.of(), List.of(), 1, 1);
    }

    /** Boxes of one finding scaled to an image shown at {@code width × height}. */
    public List<BoundingBox> boxesShownAt(Finding finding, double width, double height) {
        return boxes.stream().filter(b -> finding == null || b.finding() == finding)
                .map(b -> b.scaled(boxSpaceWidth, boxSpaceHeight, width, height)).toList();
    }

    /** "true: Cardiomegaly, Effusion", "true: No Finding" or "true labels unknown". */
    public String labelsText() {
        if (!labelled) {
            return "true labels unknown";
        }
        if (findings.isEmpty()) {
            return "true: " + Finding.NO_FINDING;
        }
        return "true: " + String.join(", ", Finding.all().stream().filter(findings::contains).map(Finding::label).toList());
    }
}
