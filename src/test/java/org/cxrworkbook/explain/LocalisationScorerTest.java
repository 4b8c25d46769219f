package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;

class LocalisationScorerTest {

    static BoundingBox box(Finding f, double x, double y, double w, double h) {
        return new BoundingBox("00000001_000.png", f, x, y, w, h);
    }

    /** 4×4 map: the top-left 2×2 block is lit (1.0, 0.6, 0.8, 0.5), the rest is 0.2; maximum at (0, 0). */
    static float[][] blockMap() {
        return new float[][] {
                {1.0f, 0.6f, 0.2f, 0.2f},
                {0.8f, 0.5f, 0.2f, 0.2f},
                {0.2f, 0.2f, 0.2f, 0.2f},
                {0.2f, 0.2f, 0.2f, 0.2f}};
    }

    @Test
    void pointingHitAndMiss() {
        float[][] m = new float[4][4];
        m[1][2] = 1f; // maximum at row 1, column 2: centre (2.5, 1.5)
        assertTrue(LocalisationScorer.pointingHit(m, List.of(box(Finding.MASS, 2, 1, 1, 1))));
        assertFalse(LocalisationScorer.pointingHit(m, List.of(box(Finding.MASS, 0, 0, 2, 2))));
        assertTrue(LocalisationScorer.pointingHit(m,
                List.of(box(Finding.MASS, 0, 0, 2, 2), box(Finding.MASS, 2, 0, 2, 2))), "any box of the finding");
        assertFalse(LocalisationScorer.pointingHit(new float[4][4], List.of(box(Finding.MASS, 0, 0, 4, 4))),
                "an all-zero map points nowhere");
        assertNull(LocalisationScorer.argmax(new float[3][3]));
    }

    @Test
    void iouExactValues() {
        // lit = 4 pixels (x,y) ∈ {0,1}²; box x∈[1,3), y∈[0,2) = 4 pixels; overlap 2 → 2/6
        assertEquals(1.0 / 3, LocalisationScorer.iou(blockMap(), 0.5, List.of(box(Finding.MASS, 1, 0, 2, 2))), 1e-12);
        // identical region → 1; disjoint → 0
        assertEquals(1.0, LocalisationScorer.iou(blockMap(), 0.5, List.of(box(Finding.MASS, 0, 0, 2, 2))), 1e-12);
        assertEquals(0.0, LocalisationScorer.iou(blockMap(), 0.5, List.of(box(Finding.MASS, 2, 2, 2, 2))), 1e-12);
        // threshold 0.7: lit = {1.0, 0.8} = pixels (0,0),(0,1); box (0,0)-(2,2) has 4 → 2/4
        assertEquals(0.5, LocalisationScorer.iou(blockMap(), 0.7, List.of(box(Finding.MASS, 0, 0, 2, 2))), 1e-12);
        // union of two boxes: box A = (0,0) 1×1 inside lit, box B = (3,3) 1×1 outside → inter 1, union 4 + 1 = 5
        assertEquals(0.2, LocalisationScorer.iou(blockMap(), 0.5,
                List.of(box(Finding.MASS, 0, 0, 1, 1), box(Finding.MASS, 3, 3, 1, 1))), 1e-12);
        assertEquals(0.0, LocalisationScorer.iou(new float[4][4], 0.5, List.of(box(Finding.MASS, 0, 0, 4, 4))),
                "an all-zero map highlights nothing");
    }

    @Test
    void boxesAreClippedToTheImageThenScaled() {
        // 8×8 image → 4×4 map; box (−4, 4, 8, 8) clips to (0, 4)–(4, 8) → map (0, 2) size 2×2
        List<BoundingBox> b = LocalisationScorer.toMapPixels(List.of(box(Finding.NODULE, -4, 4, 8, 8),
                box(Finding.NODULE, 9, 9, 3, 3)), 8, 8, 4, 4);
        assertEquals(1, b.size(), "box wholly outside is dropped");
        assertArrayEquals(new double[] {0, 2, 2, 2},
                new double[] {b.get(0).x(), b.get(0).y(), b.get(0).width(), b.get(0).height()}, 1e-12);
    }

    @Test
    void centrePriorPeaksAtTheCentre() {
        float[][] c = LocalisationScorer.centrePrior(5, 5, 0.25);
        assertArrayEquals(new int[] {2, 2}, LocalisationScorer.argmax(c));
        assertEquals(1f, c[2][2], 0f);
        // σ = 1.25 px: one pixel away exp(−1/(2·1.5625))
        assertEquals(Math.exp(-1 / 3.125), c[2][3], 1e-6);
    }

    @Test
    void reportPerFindingOverallAndBaselines() {
        // Image 1 (8×8 original, 4×4 maps): Mass box on the top-left quarter (map pixels (0,0)–(2,2)),
        // Effusion box on the bottom-right pixel. Mass map = blockMap (hit, IoU 1); Effusion map = blockMap (miss, 0).
        LocalisationCase one = new LocalisationCase("00000001_000.png", 8, 8,
                List.of(box(Finding.MASS, 0, 0, 4, 4), box(Finding.EFFUSION, 6, 6, 2, 2)),
                Map.of(Finding.MASS, blockMap(), Finding.EFFUSION, blockMap()));
        LocalisationCase noBoxes = new LocalisationCase("00000002_000.png", 8, 8, List.of(), Map.of());
        LocalisationCase outside = new LocalisationCase("00000003_000.png", 8, 8,
                List.of(box(Finding.NODULE, 20, 20, 4, 4)), Map.of(Finding.NODULE, blockMap()));
        LocalisationOptions opt = LocalisationOptions.builder().randomDraws(4000).seed(1).build();
        LocalisationReport r = LocalisationScorer.with(opt).score(List.of(one, noBoxes, outside), "test");
        assertEquals(2, r.imagesScored());
        assertEquals(1, r.imagesWithoutBoxes());
        assertEquals(1, r.pairsSkipped());
        Map<String, LocalisationReport.Row> rows = new java.util.HashMap<>();
        r.rows().forEach(row -> rows.put(row.finding(), row));
        assertEquals(List.of("Effusion", "Mass", "All"), r.rows().stream().map(LocalisationReport.Row::finding).toList());
        assertEquals(1.0, rows.get("Mass").pointing());
        assertEquals(1.0, rows.get("Mass").iou(), 1e-12);
        assertEquals(0.0, rows.get("Effusion").pointing());
        assertEquals(0.0, rows.get("Effusion").iou());
        assertEquals(2, rows.get("All").pairs());
        assertEquals(0.5, rows.get("All").pointing());
        assertEquals(0.5, rows.get("All").iou(), 1e-12);
        // 4×4 centre prior: the four centre pixels tie, the first is (1,1) → inside the Mass quarter, not Effusion
        assertEquals(1.0, rows.get("Mass").pointingCentre());
        assertEquals(0.0, rows.get("Effusion").pointingCentre());
        // random maps: the maximum is uniformly placed → P(hit) = box area / map area = 4/16 and 1/16
        assertEquals(0.25, rows.get("Mass").pointingRandom(), 0.02);
        assertEquals(1.0 / 16, rows.get("Effusion").pointingRandom(), 0.01);
        // deterministic for a seed
        assertEquals(r, LocalisationScorer.with(opt).score(List.of(one, noBoxes, outside), "test"));
        assertTrue(r.toJson().contains("\"pointing_random\""));
        assertEquals(8, r.table().columnCount());
        assertEquals(3, r.table().rowCount());
    }

    @Test
    void missingHeatmapForABoxedFindingIsAnError() {
        LocalisationCase c = new LocalisationCase("00000001_000.png", 8, 8,
                List.of(box(Finding.MASS, 0, 0, 4, 4)), Map.of(Finding.NODULE, blockMap()));
        var e = assertThrows(IllegalArgumentException.class,
                () -> LocalisationScorer.defaults().score(List.of(c), "x"));
        assertTrue(e.getMessage().contains("00000001_000.png") && e.getMessage().contains("Mass"), e.getMessage());
    }
}
