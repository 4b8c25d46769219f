package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.explain.CaseSelector;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GalleryCase;
import org.cxrworkbook.explain.ExplainSample;
import org.cxrworkbook.data.BoundingBox;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class HeatmapPlotsTest {

    /** A box label keeps its whole text (and its 1-pixel shadow) inside the 256-pixel film, wherever the box is. */
    @Test
    void boxLabelsStayInsideThePanel() {
        int p = HeatmapPlots.PANEL;
        // a box in the middle: label above it, at its left edge
        assertEquals(new java.awt.Point(100, 96), HeatmapPlots.labelPosition(100, 100, 40, 30, 60, 11, 3));
        // a box touching the right edge: a 110-pixel label starts 3 + 110 pixels from the edge, not at the box
        java.awt.Point right = HeatmapPlots.labelPosition(240, 100, 14, 20, 110, 11, 3);
        assertEquals(p - 110 - 3, right.x);
        assertTrue(right.x + 110 + 1 <= p - 1, "whole label and shadow inside");
        // a box at the top: no room above, so below it (baseline = bottom + 4 + ascent)
        assertEquals(new java.awt.Point(20, 0 + 30 + 4 + 11), HeatmapPlots.labelPosition(20, 0, 40, 30, 50, 11, 3));
        // a box filling the film's height: inside its top, still within the film
        java.awt.Point tall = HeatmapPlots.labelPosition(0, 0, p, p, 80, 11, 3);
        assertEquals(2, tall.x);
        assertEquals(0 + 3 + 11, tall.y);
        // a box at the bottom-right corner: above it, inside on both axes
        java.awt.Point corner = HeatmapPlots.labelPosition(250, 250, 6, 6, 90, 11, 3);
        assertTrue(corner.x >= 2 && corner.x + 90 + 1 <= p - 1 && corner.y - 11 >= 0 && corner.y + 3 + 1 <= p - 1,
                corner.toString());
    }


    static int[] rgb(int c) {
        return new int[] {(c >> 16) & 255, (c >> 8) & 255, c & 255};
    }

    @Test
    void jetMatchesMatplotlibBreakpoints() {
        assertEquals(List.of(0, 0, 128), toList(rgb(HeatmapPlots.jet(0))));
        assertEquals(List.of(128, 0, 0), toList(rgb(HeatmapPlots.jet(1))));
        // x = 0.5: r = (0.5−0.35)/0.31, g = 1, b = 1 − (0.5−0.34)/0.31
        assertEquals(List.of((int) Math.round(255 * 0.15 / 0.31), 255, (int) Math.round(255 * (1 - 0.16 / 0.31))),
                toList(rgb(HeatmapPlots.jet(0.5))));
        assertEquals(HeatmapPlots.jet(1), HeatmapPlots.jet(7), "clamped");
    }

    static List<Integer> toList(int[] a) {
        return List.of(a[0], a[1], a[2]);
    }

    @Test
    void overlayBlendsWithAlphaMinHalfP() {
        float[][] grey = {{0.5f, 1f}};
        float[][] heat = {{0f, 1f}};
        assertEquals(0.5, HeatmapPlots.alpha(0.9));
        assertEquals(0.2, HeatmapPlots.alpha(0.2));
        BufferedImage img = HeatmapPlots.overlay(grey, heat, 0.5);
        // pixel 0: grey 127.5, jet(0) = (0,0,128) → (63.75, 63.75, 127.75) rounded
        assertEquals(List.of(64, 64, 128), toList(rgb(img.getRGB(0, 0))));
        // pixel 1: grey 255, jet(1) = (128,0,0) → (191.5…, 127.5, 127.5)
        assertEquals(List.of((int) Math.round(0.5 * 255 + 0.5 * 128), 128, 128), toList(rgb(img.getRGB(1, 0))));
        assertThrows(IllegalArgumentException.class, () -> HeatmapPlots.overlay(grey, new float[][] {{0f}}, 0.5));
    }

    @Test
    void greyIsMinMaxScaled() {
        float[][] g = HeatmapPlots.grey(Nd4j.create(new double[] {-1, 0, 1, 3}, new long[] {1, 1, 2, 2}));
        assertEquals(0f, g[0][0]);
        assertEquals(0.25f, g[0][1]);
        assertEquals(1f, g[1][1]);
    }

    static ExplainSample sample(String name, Set<Finding> findings, List<BoundingBox> boxes) {
        return new ExplainSample(name, Nd4j.zeros(1, 1, 8, 8), findings, boxes, 1024, 1024);
    }

    @Test
    void topKRowAndGalleryHaveOnePanelPerEntryAndAColourBar() {
        float[][] grey = new float[8][8];
        float[][] heat = new float[8][8];
        heat[2][3] = 1;
        int bar = HeatmapPlots.colourBar().getWidth();
        ExplainSample a = sample("a.png", Set.of(Finding.MASS), List.of());
        BufferedImage row = HeatmapPlots.topK(a, List.of(new FindingHeatmap(Finding.MASS, 0.8, heat),
                new FindingHeatmap(Finding.NODULE, 0.3, heat)));
        assertEquals(3 * (HeatmapPlots.PANEL + 1) + bar + 1, row.getWidth());
        assertEquals("Mass p = 0.800", HeatmapPlots.title(new FindingHeatmap(Finding.MASS, 0.8, heat)));
        var tp = new CaseSelector.Pick(CaseSelector.Kind.TRUE_POSITIVE, 0, "a.png", Finding.MASS, 0.9);
        var fn = new CaseSelector.Pick(CaseSelector.Kind.FALSE_NEGATIVE, 1, "b.png", Finding.EDEMA, 0.1);
        ExplainSample b = sample("b.png", Set.of(Finding.EDEMA), List.of());
        BufferedImage gal = HeatmapPlots.gallery(List.of(new GalleryCase(tp, a, heat),
                new GalleryCase(tp, a, heat), new GalleryCase(fn, b, heat)));
        assertEquals(2 * (HeatmapPlots.PANEL + 1) + bar + 1, gal.getWidth());
        assertEquals(2, gal.getHeight() / row.getHeight(), "two rows: TP and FN");
        var linked = new java.util.LinkedHashMap<String, float[][]>();
        linked.put("gradcam", heat);
        linked.put("gradcampp", heat);
        assertEquals(3 * (HeatmapPlots.PANEL + 1) + bar + 1, HeatmapPlots.methods(a, Finding.MASS, 0.4, linked).getWidth());
    }

    @Test
    void lesionBoxIsDrawnWhereThePngPixelsPutItScaledToThePanel() {
        // box at (512, 256) size 256 x 128 in a 1024² PNG, shown at PANEL = 256 px: x 128..192, y 64..96
        BoundingBox box = new BoundingBox("a.png", Finding.MASS, 512, 256, 256, 128);
        ExplainSample a = sample("a.png", Set.of(Finding.MASS), List.of(box));
        float[][] heat = new float[8][8];
        BufferedImage row = HeatmapPlots.topK(a, List.of(new FindingHeatmap(Finding.MASS, 0.8, heat)));
        int top = row.getHeight() - HeatmapPlots.PANEL;   // panels are title strip + PANEL
        int x0 = HeatmapPlots.PANEL + 1;                  // second panel: the Mass overlay
        // the outline is 2 px white on 4 px black, centred on the edge: white within 2 px of it
        assertTrue(whiteNear(row, x0 + 160, top + 64, false), "top edge at y 64");
        assertTrue(whiteNear(row, x0 + 128, top + 80, true), "left edge at x 128");
        assertTrue(whiteNear(row, x0 + 192, top + 80, true), "right edge at x 192");
        assertTrue(whiteNear(row, x0 + 160, top + 96, false), "bottom edge at y 96");
        assertFalse(whiteNear(row, x0 + 160, top + 58, false), "no edge 6 px above the box");
        assertNotEquals(0xffffff, row.getRGB(x0 + 160, top + 80) & 0xffffff, "inside not outlined");
        assertNotEquals(0xffffff, row.getRGB(x0 + 100, top + 80) & 0xffffff, "outside not outlined");
    }

    static boolean whiteNear(BufferedImage img, int x, int y, boolean horizontal) {
        for (int d = -2; d <= 2; d++) {
            if ((img.getRGB(horizontal ? x + d : x, horizontal ? y : y + d) & 0xffffff) == 0xffffff) {
                return true;
            }
        }
        return false;
    }

    @Test
    void presenceSaysWhetherTheFilmHasTheFinding() {
        FilmTruth truth = FilmTruth.of(sample("a.png", Set.of(Finding.MASS, Finding.EDEMA), List.of(
                new BoundingBox("a.png", Finding.MASS, 1, 1, 5, 5))));
        assertEquals("\u2713 on this film (box drawn)", HeatmapPlots.presence(truth, Finding.MASS).text());
        assertEquals("\u2713 on this film, no box", HeatmapPlots.presence(truth, Finding.EDEMA).text());
        assertEquals("\u2717 NOT on this film", HeatmapPlots.presence(truth, Finding.NODULE).text());
        assertEquals("truth unknown", HeatmapPlots.presence(FilmTruth.unlabelled("x.png"), Finding.MASS).text());
        assertEquals("true: Edema, Mass", truth.labelsText());
        assertEquals("true: No Finding", FilmTruth.of(sample("n.png", Set.of(), List.of())).labelsText());
    }

    @Test
    void longTitlesWrapInsteadOfBeingCutOff() {
        var fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
                .getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
        String text = "true: Atelectasis, Cardiomegaly, Effusion, Pleural_Thickening, Pneumothorax";
        List<String> lines = HeatmapPlots.wrap(text, fm, 250);
        assertTrue(lines.size() >= 2, lines.toString());
        assertEquals(text, String.join(" ", lines), "nothing dropped");
        lines.forEach(l -> assertTrue(fm.stringWidth(l) <= 250, l));
    }
}
