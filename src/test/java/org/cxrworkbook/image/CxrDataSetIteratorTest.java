package org.cxrworkbook.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class CxrDataSetIteratorTest {

    @TempDir
    static Path dir;
    static List<ImageRecord> records = new ArrayList<>();

    @BeforeAll
    static void images() {
        SyntheticRadiographs.write(dir, 10, 96, 3);
        Finding[] all = Finding.values();
        for (int i = 0; i < 10; i++) {
            EnumSet<Finding> f = EnumSet.noneOf(Finding.class);
            if (i % 3 == 0) {
                f.add(all[i]);
            }
            if (i % 4 == 1) {
                f.add(all[13 - i]);
            }
            records.add(ImageRecord.of(String.format("img_%03d.png", i), "p" + i, f));
        }
    }

    static ImageLoader loader(ImageCache cache) {
        return new ImageLoader(r -> dir.resolve(r.imageIndex()), 32, cache);
    }

    static List<DataSet> epoch(CxrDataSetIterator it) {
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void shapesLabelsAndStandardisation() {
        CxrDataSetIterator it = CxrDataSetIterator.builder(records, loader(ImageCache.none())).batchSize(4).channels(3)
                .shuffle(false).build();
        List<DataSet> batches = epoch(it);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {4, 3, 32, 32}, batches.get(0).getFeatures().shape());
        assertArrayEquals(new long[] {2, 3, 32, 32}, batches.get(2).getFeatures().shape());
        assertEquals(DataType.FLOAT, batches.get(0).getFeatures().dataType());
        assertArrayEquals(new long[] {4, 14}, batches.get(0).getLabels().shape());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(records.get(4 + i).multiHot(), batches.get(1).getLabels().getRow(i).toFloatVector());
            INDArray ex = batches.get(1).getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            assertEquals(0, ex.meanNumber().doubleValue(), 1e-5);
            assertEquals(1, ex.stdNumber().doubleValue() * Math.sqrt((ex.length() - 1.0) / ex.length()), 1e-4);
            // channels are replicated
            assertEquals(ex.getDouble(0, 5, 7), ex.getDouble(2, 5, 7), 0);
        }
        assertEquals(List.of("Atelectasis"), it.getLabels().subList(0, 1));
        assertFalse(it.asyncSupported());
        it.shutdown();
    }

    @Test
    void seededShufflePerEpochAndReset() {
        CxrDataSetIterator a = CxrDataSetIterator.builder(records, loader(ImageCache.memory(1 << 24))).batchSize(5).seed(11).build();
        List<DataSet> e0 = epoch(a);
        assertThrows(java.util.NoSuchElementException.class, a::next);
        a.reset();
        assertEquals(1, a.epoch());
        List<DataSet> e1 = epoch(a);
        assertEquals(2, e1.size());
        assertNotEquals(a.order(0), a.order(1));
        // a second iterator resumed at epoch 1 reproduces epoch 1 exactly
        CxrDataSetIterator b = CxrDataSetIterator.builder(records, loader(ImageCache.none())).batchSize(5).seed(11).startEpoch(1).build();
        List<DataSet> r1 = epoch(b);
        for (int i = 0; i < 2; i++) {
            assertEquals(e1.get(i).getFeatures(), r1.get(i).getFeatures());
            assertEquals(e1.get(i).getLabels(), r1.get(i).getLabels());
        }
        assertNotEquals(e0.get(0).getLabels(), e1.get(0).getLabels());
        // reset before any batch keeps the epoch
        b.reset();
        b.reset();
        assertEquals(2, b.epoch());
        a.shutdown();
        b.shutdown();
    }

    @Test
    void tryWithResourcesStopsThePrefetchThreads() throws Exception {
        try (CxrDataSetIterator it = CxrDataSetIterator.builder(records, loader(ImageCache.none())).batchSize(2)
                .prefetch(2).build()) {
            it.next();
            assertTrue(liveIteratorThreads() > 0, "prefetching while open");
        }
        for (int i = 0; i < 50 && liveIteratorThreads() > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, liveIteratorThreads(), "no prefetch/decode thread left after close");
    }

    @Test
    void threadsStopAtTheEndOfAnEpochAndAfterALookAtTheFirstBatch() throws Exception {
        CxrDataSetIterator it = CxrDataSetIterator.builder(records, loader(ImageCache.none())).batchSize(4)
                .shuffle(false).prefetch(2).build();
        DataSet look = it.firstBatch();
        awaitNoIteratorThreads();
        assertEquals(0, liveIteratorThreads(), "no thread left after firstBatch()");
        List<DataSet> all = epoch(it);   // the same epoch from its first batch, read to the end
        assertEquals(3, all.size());
        assertEquals(0, it.epoch());
        assertEquals(look.getFeatures(), all.get(0).getFeatures());
        assertEquals(look.getLabels(), all.get(0).getLabels());
        awaitNoIteratorThreads();
        assertEquals(0, liveIteratorThreads(), "no thread left once the epoch's last batch was taken");
        it.reset();
        assertEquals(3, epoch(it).size(), "the next epoch starts new threads");
        assertEquals(1, it.epoch());
    }

    private static void awaitNoIteratorThreads() throws InterruptedException {
        for (int i = 0; i < 50 && liveIteratorThreads() > 0; i++) {
            Thread.sleep(100);
        }
    }

    static long liveIteratorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("cxr-") && (t.getName().endsWith("-prefetch")
                        || t.getName().endsWith("-decode"))).count();
    }

    @Test
    void resetMidEpochStopsPrefetchAndStartsTheNextEpoch() {
        CxrDataSetIterator it = CxrDataSetIterator.builder(records, loader(ImageCache.none())).batchSize(2).prefetch(1).build();
        DataSet first = it.next();
        it.reset();
        assertEquals(1, it.epoch());
        assertEquals(5, epoch(it).size());
        it.resetTo(0);
        assertEquals(first.getLabels(), it.next().getLabels());
        it.shutdown();
    }

    @Test
    void cachedSecondEpochDoesNotDecode() {
        ImageCache cache = ImageCache.memory(1 << 24);
        CxrDataSetIterator it = CxrDataSetIterator.builder(records, loader(cache)).batchSize(3).workers(2).build();
        epoch(it);
        assertEquals(10, cache.misses());
        it.reset();
        epoch(it);
        assertEquals(10, cache.misses());
        assertEquals(10, cache.hits());
        it.shutdown();
    }

    @Test
    void diskCacheSurvivesANewLoader(@TempDir Path cacheDir) {
        ImageLoader first = loader(ImageCache.disk(cacheDir, 0));
        Pixels p = first.load(records.get(2));
        ImageCache second = ImageCache.disk(cacheDir, 0);
        Pixels q = loader(second).load(records.get(2));
        assertEquals(1, second.hits());
        assertArrayEquals(p.data(), q.data());
    }

    @Test
    void augmentationIsSeededAndKeepsRange() {
        CxrDataSetIterator a = CxrDataSetIterator.builder(records, loader(ImageCache.none())).augmentation(Augmentation.light())
                .standardizer(Standardizer.none()).channels(1).build();
        Pixels x1 = a.example(0, 0, 0);
        Pixels x2 = a.example(0, 0, 0);
        Pixels x3 = a.example(0, 1, 0);
        assertArrayEquals(x1.data(), x2.data());
        assertFalse(java.util.Arrays.equals(x1.data(), x3.data()));
        PixelStats s = PixelStats.of(x3);
        assertTrue(s.min() >= 0 && s.max() <= 255, s.toString());
    }

    @Test
    void limitEmptySplitAndBadFiles() throws Exception {
        CxrDataSetIterator lim = CxrDataSetIterator.builder(records, loader(ImageCache.none())).limit(3).batchSize(2).build();
        assertEquals(3, lim.records().size());
        assertEquals(2, lim.batchesPerEpoch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CxrDataSetIterator.builder(List.of(), loader(ImageCache.none())).name("val").build());
        assertTrue(e.getMessage().contains("'val' is empty"), e.getMessage());

        Files.writeString(dir.resolve("broken.png"), "not a png");
        List<ImageRecord> withBad = List.of(records.get(0), ImageRecord.of("broken.png", "x", EnumSet.noneOf(Finding.class)));
        CxrDataSetIterator bad = CxrDataSetIterator.builder(withBad, loader(ImageCache.none())).batchSize(2).build();
        DataException de = assertThrows(DataException.class, bad::next);
        assertTrue(de.getMessage().contains("broken.png"), de.getMessage());
        bad.shutdown();
    }

    @Test
    void featurewiseFitUsesDistinctImages() {
        ImageLoader l = loader(ImageCache.memory(1 << 24));
        FeaturewiseStats s = FeaturewiseStats.fit(records, 4, 1, l, 3);
        assertEquals(4, s.images());
        assertEquals(3, s.mean().length);
        // fewer than asked: all 10 (a warning is logged)
        FeaturewiseStats all = FeaturewiseStats.fit(records, 100, 1, l, 1);
        assertEquals(10, all.images());
        List<Pixels> every = new ArrayList<>();
        records.forEach(r -> every.add(l.load(r)));
        assertEquals(FeaturewiseStats.fit(every).mean()[0], all.mean()[0], 1e-3f);
        // the course's bug: one image 100 times = that one image's statistics
        FeaturewiseStats bug = FeaturewiseStats.fitRepeatedImage(records.get(0), 100, l, 1);
        PixelStats one = PixelStats.of(l.load(records.get(0)));
        assertEquals(one.mean(), bug.mean()[0], 1e-3);
        assertEquals(one.std(), bug.std()[0], 1e-3);
        assertThrows(IllegalArgumentException.class, () -> FeaturewiseStats.fit(List.of(), 100, 1, l, 1));
    }
}
