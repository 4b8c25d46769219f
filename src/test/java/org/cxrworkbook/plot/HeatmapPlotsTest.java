package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.explain.CaseSelector;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GalleryCase;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class HeatmapPlotsTest {

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

    @Test
    void topKRowAndGalleryHaveOnePanelPerEntry() {
        float[][] grey = new float[8][8];
        float[][] heat = new float[8][8];
        heat[2][3] = 1;
        BufferedImage row = HeatmapPlots.topK(grey, List.of(new FindingHeatmap(Finding.MASS, 0.8, heat),
                new FindingHeatmap(Finding.NODULE, 0.3, heat)));
        assertEquals(3 * (HeatmapPlots.PANEL + 1), row.getWidth());
        assertEquals("Mass: 0.800", HeatmapPlots.title(new FindingHeatmap(Finding.MASS, 0.8, heat)));
        var tp = new CaseSelector.Pick(CaseSelector.Kind.TRUE_POSITIVE, 0, "a.png", Finding.MASS, 0.9);
        var fn = new CaseSelector.Pick(CaseSelector.Kind.FALSE_NEGATIVE, 1, "b.png", Finding.EDEMA, 0.1);
        var input = Nd4j.zeros(1, 1, 8, 8);
        BufferedImage gal = HeatmapPlots.gallery(List.of(new GalleryCase(tp, input, heat),
                new GalleryCase(tp, input, heat), new GalleryCase(fn, input, heat)));
        assertEquals(2 * (HeatmapPlots.PANEL + 1), gal.getWidth());
        assertEquals(2, gal.getHeight() / row.getHeight(), "two rows: TP and FN");
        var linked = new java.util.LinkedHashMap<String, float[][]>();
        linked.put("gradcam", heat);
        linked.put("gradcampp", heat);
        assertEquals(3 * (HeatmapPlots.PANEL + 1), HeatmapPlots.methods(grey, 0.4, linked).getWidth());
    }
}
