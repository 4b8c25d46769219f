package org.cxrworkbook.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cxrworkbook.data.ImageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class StandardizationComparisonTest {

    @Test
    void fittedFeaturewiseGivesZeroMeanUnitStdOnItsImages(@TempDir Path dir) {
        SyntheticRadiographs.write(dir, 6, 48, 21);
        List<ImageRecord> recs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            recs.add(ImageRecord.of(String.format("img_%03d.png", i), "p" + i, Set.of()));
        }
        ImageLoader loader = new ImageLoader(r -> dir.resolve(r.imageIndex()), 24, ImageCache.memory(1 << 22));
        FeaturewiseStats good = FeaturewiseStats.fit(recs, 6, 1, loader, 1);
        FeaturewiseStats bug = FeaturewiseStats.fitRepeatedImage(recs.get(0), 100, loader, 1);
        Map<String, Standardizer> s = new LinkedHashMap<>();
        s.put("featurewise (6 distinct)", Standardizer.featurewise(good));
        s.put("featurewise (1 image x100)", Standardizer.featurewise(bug));
        s.put("samplewise", Standardizer.samplewise());
        Table t = StandardizationComparison.compare(recs, loader, s);
        assertEquals(3, t.rowCount());
        assertEquals(0, t.doubleColumn("pooled mean").get(0), 1e-4);
        assertEquals(1, t.doubleColumn("pooled std").get(0), 1e-4);
        assertEquals(0, t.doubleColumn("pooled mean").get(2), 1e-4);
        assertEquals(0, t.doubleColumn("std of image means").get(2), 1e-4);
        assertTrue(t.doubleColumn("std of image means").get(0) > 0);
        double[] means = PixelStats.perImageMeans(recs, loader);
        assertEquals(PixelStats.of(loader.load(recs.get(3))).mean(), means[3], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> StandardizationComparison.compare(List.of(), loader, s));
    }
}
