package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staged recipe on a tiny phantom set with the small DenseNet: cache hit/miss/damage, stages, reassembly. */
class StagedTrainingTest {

    @TempDir
    static Path dir;

    private static Path data;

    @BeforeAll
    static void phantom() {
        data = dir.resolve("phantom");
        PhantomGenerator.builder().images(40).size(64).seed(21).threads(2).progress(null).build().generate(data);
    }

    private static TrainingRecipe.Options options(Path work) {
        return TrainingRecipe.options().dataDir(data).workDir(work).imageSize(32).small(true).fromScratch(true)
                .batchSize(8).seed(5).stage1(3, 1e-2).stage2(2, 1e-3).earlyStoppingPatience(0).progress(false);
    }

    private static StagedTraining staged(TrainingRecipe.Options o, List<String> log) {
        return StagedTraining.of(StagedTraining.Plan.of(o), log::add);
    }

    @Test
    void runsBothStagesAndSavesTheWholeNetwork() throws Exception {
        Path work = dir.resolve("run");
        StagedTraining.Outcome out = staged(options(work), new ArrayList<>()).run();
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(work.resolve("model.zip").toFile(), false);
        DenseNetConfig c = DenseNetConfig.small().toBuilder().inputSize(32).build();
        assertEquals(DenseNet.build(c).numParams(), saved.numParams(), "the saved model is the whole small DenseNet");
        assertEquals(DenseNet.vertexNames(c).size(), saved.getVertices().length);
        assertTrue(TransferLearningPlan.frozenLayers(saved).isEmpty(), "nothing frozen in the saved model");
        assertEquals(2, out.stages().size());
        assertEquals(out.stages().get(0).history().size() + out.stages().get(1).history().size(), out.history().size());
        assertTrue(Files.isRegularFile(work.resolve("history-stage1.json")));
        assertTrue(Files.isRegularFile(work.resolve("data-settings.json")));
        // the saved network computes what the trained top computes on the cached activations (same weights)
        StagedTraining st = staged(options(work), new ArrayList<>());
        StagedTraining.Features f = st.features();
        var test = f.cache().test();
        float[] fromTop = out.stages().get(1).graph().output(false, test.getFeatures())[0].ravel().toFloatVector();
        TrainingData td = TrainingData.load(options(work).stagePlan().data());
        float[] fromFull = saved.output(td.orderedIterator(f.splits().test(), "test"))[0].ravel().toFloatVector();
        assertEquals(fromTop.length, fromFull.length);
        for (int i = 0; i < fromTop.length; i++) {
            assertEquals(fromTop[i], fromFull[i], 1e-4, "output " + i);
        }
    }

    @Test
    void aRerunDecodesNoImageAndRunsNoBaseForwardPass() throws Exception {
        Path phantom = dir.resolve("phantom-copy");
        copy(data, phantom);
        Path work = dir.resolve("rerun");
        TrainingRecipe.Options o = options(work).dataDir(phantom);
        List<String> log = new ArrayList<>();
        StagedTraining.Features first = staged(o, log).features();
        assertFalse(first.fromCache());
        // the feature pass ran on the engine, whose native buffers are released when it ends
        long channels = first.full().getLayer("conv1/conv").getParam("W").size(1);
        assertEquals("onednn", org.cxrworkbook.model.engine.FrozenBase.path(first.full(), first.boundary(),
                org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, channels, 32, 32)));
        assertEquals(0, org.cxrworkbook.model.engine.FrozenBase.compiledEngines(first.full()));
        long forward = StagedTraining.baseForwardBatches();
        // the computation measured where its time went: every film counted, a forward pass and a write that took time
        java.util.Map<String, Object> timing = StagedTraining.lastComputeTiming();
        assertEquals((long) (first.cache().train().numExamples() + first.cache().val().numExamples()
                + first.cache().test().numExamples()), ((Number) timing.get("films")).longValue(), timing.toString());
        for (String k : List.of("forward_seconds", "decode_thread_seconds", "write_seconds")) {
            assertTrue(((Number) timing.get(k)).doubleValue() > 0, k + " in " + timing);
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("stage 0 timing: " + timing.get("films") + " films")), log.toString());
        // overwrite every PNG's pixel data with noise, same length and modification time: any decode would now fail
        try (Stream<Path> files = Files.walk(phantom)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".png")).toList()) {
                FileTime t = Files.getLastModifiedTime(p);
                byte[] png = Files.readAllBytes(p);
                byte[] noise = new byte[png.length - 33 - 12];
                new Random(1).nextBytes(noise);
                System.arraycopy(noise, 0, png, 33, noise.length); // signature, IHDR and IEND kept, pixels gone
                Files.write(p, png);
                Files.setLastModifiedTime(p, t);
            }
        }
        log.clear();
        StagedTraining st = staged(o, log);
        StagedTraining.Features inMemory = st.features();   // same kernel: the activations already in memory
        assertTrue(inMemory.fromCache());
        assertTrue(log.stream().anyMatch(l -> l.contains("already in memory")), log.toString());
        log.clear();
        StagedTraining.forgetFeaturesInMemory();            // a new kernel: read from disk
        StagedTraining.Features again = st.features();
        assertTrue(again.fromCache(), String.join("\n", log));
        assertEquals(forward, StagedTraining.baseForwardBatches(), "no batch went through the base");
        assertTrue(log.stream().anyMatch(l -> l.contains("no image decoded") && l.contains("reused")), log.toString());
        assertArrayEquals(first.cache().train().getFeatures().ravel().toFloatVector(), again.cache().train().getFeatures().ravel().toFloatVector());
        // and the head trains from it in this state (no image readable)
        StagedTraining.StageResult s1 = st.stage1(again);
        assertEquals(3, s1.history().size());
    }

    @Test
    void otherSettingsOrADamagedFileRebuildTheCacheSayingWhy() throws Exception {
        Path work = dir.resolve("rebuild");
        List<String> log = new ArrayList<>();
        staged(options(work), log).features();
        log.clear();
        StagedTraining.Features other = staged(options(work).imageSize(40), log).features();
        assertFalse(other.fromCache());
        assertTrue(log.stream().anyMatch(l -> l.contains("other settings") && l.contains("image_size")), log.toString());

        Path train = work.resolve(FeatureCache.FOLDER).resolve("train.bin");
        byte[] bytes = Files.readAllBytes(train);
        Files.write(train, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        log.clear();
        long forward = StagedTraining.baseForwardBatches();
        StagedTraining.Features rebuilt = staged(options(work).imageSize(40), log).features();
        assertFalse(rebuilt.fromCache());
        assertTrue(StagedTraining.baseForwardBatches() > forward);
        assertEquals(1, log.stream().filter(l -> l.contains("damaged")).count(), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("train.bin")), log.toString());
        assertTrue(staged(options(work).imageSize(40), new ArrayList<>()).features().fromCache());
    }

    @Test
    void anUnwritableCacheFolderFailsBeforeAnyWorkNamingIt() throws IOException {
        Path notADir = dir.resolve("blocked");
        Files.writeString(notADir, "a file where the work folder should be");
        long forward = StagedTraining.baseForwardBatches();
        TrainingException e = assertThrows(TrainingException.class,
                () -> staged(options(notADir), new ArrayList<>()).features());
        assertTrue(e.getMessage().contains(notADir.resolve(FeatureCache.FOLDER).toString()), e.getMessage());
        assertEquals(forward, StagedTraining.baseForwardBatches());
    }

    @Test
    void unfreezingBeyondTheBlockIsRefusedBeforeAnyWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StagedTraining.Plan.of(options(dir.resolve("x")).stage2UnfreezeLayers(3)));
        assertTrue(e.getMessage().contains("stage2UnfreezeLayers = 3") && e.getMessage().contains("0 (only bn) to 2"),
                e.getMessage());
        assertEquals("conv5_block1_concat", StagedTraining.Plan.of(options(dir).stage2UnfreezeLayers(1)).boundary());
        assertEquals("pool4_pool", StagedTraining.Plan.of(options(dir).stage2UnfreezeLayers(2)).boundary());
        assertEquals("conv5_block15_concat",
                StagedTraining.Plan.of(options(dir).small(false).stage2UnfreezeLayers(1)).boundary());
    }

    @Test
    void everyStageOneCallStartsFromANewHeadAndUsesTheCurrentLearningRate() {
        Path work = dir.resolve("heads");
        StagedTraining a = staged(options(work), new ArrayList<>());
        StagedTraining.Features f = a.features();
        StagedTraining.StageResult r1 = a.stage1(f);
        StagedTraining b = staged(options(work).stage1(2, 3e-3), new ArrayList<>());
        StagedTraining.StageResult r2 = b.stage1(f);
        assertEquals(r1.initialHeadSha256(), r2.initialHeadSha256(), "both start from the same fresh head");
        assertNotEquals(r1.finalHeadSha256(), r2.initialHeadSha256(), "not from the previous run's trained head");
        assertEquals(3e-3, r2.history().epochs().get(0).learningRate(), 0);
        assertEquals(2, r2.history().size());
        assertEquals(3e-3, TrainingHistory.load(work.resolve("history-stage1.json")).epochs().get(0).learningRate(), 0);
        // stage 2 trains the top: more parameters than the head, starting from the stage-1 head
        StagedTraining.StageResult s2 = b.stage2(f, r2);
        assertEquals(r2.finalHeadSha256(), s2.initialHeadSha256());
        assertTrue(s2.trainableParams() > r2.trainableParams());
    }

    @Test
    void aDivergingStageStopsWithAClearError() {
        Path work = dir.resolve("nan");
        StagedTraining st = staged(options(work), new ArrayList<>());
        StagedTraining.Features f = st.features();
        f.cache().train().getFeatures().putScalar(0, Float.NaN);
        TrainingException e = assertThrows(TrainingException.class, () -> st.stage2(f, st.stage1(f)));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("stage"), e.getMessage());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
