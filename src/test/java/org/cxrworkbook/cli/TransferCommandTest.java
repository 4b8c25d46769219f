package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.train.PhantomTransferExperiment;
import org.cxrworkbook.train.StartingWeights;
import org.cxrworkbook.train.TrainingData;
import org.cxrworkbook.train.TrainingRecipe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

/** `transfer` end to end on two tiny phantom sites: base pretrained, both arms per seed, paired gains, files written. */
class TransferCommandTest {

    @TempDir
    static Path dir;

    private static Path source;
    private static Path target;
    private static Path work;

    @BeforeAll
    static void runOnce() {
        source = dir.resolve("site-b");
        target = dir.resolve("site-a");
        work = dir.resolve("transfer");
        PhantomGenerator.builder().images(70).size(64).seed(11).site(org.cxrworkbook.data.phantom.Site.B).threads(2).progress(null).build().generate(source);
        PhantomGenerator.builder().images(70).size(64).seed(12).threads(2).progress(null).build().generate(target);
        int rc = new CommandLine(new Main()).execute("transfer", "--source", source.toString(), "--target",
                target.toString(), "--work", work.toString(), "--size", "32", "--pretrain-epochs", "1", "--epochs", "1",
                "--labelled", "24", "--seeds", "1,2", "--quiet");
        assertEquals(0, rc, "transfer exit code");
    }

    @Test
    void writesOneReplicatePerSeedWithPairedGains() throws Exception {
        JsonNode j = new ObjectMapper().readTree(work.resolve("transfer.json").toFile());
        assertEquals(2, j.get("replicates").size());
        double gainSum = 0;
        for (int i = 0; i < 2; i++) {
            JsonNode r = j.get("replicates").get(i);
            assertEquals(i + 1, r.get("seed").asLong());
            assertEquals(24, r.get("train_images").asInt(), "few labels: the training split is cut to --labelled");
            double fine = r.get("fine_tuned_mean_auc").asDouble();
            double scratch = r.get("scratch_mean_auc").asDouble();
            assertTrue(fine >= 0 && fine <= 1 && scratch >= 0 && scratch <= 1, fine + " / " + scratch);
            assertEquals(14, r.get("fine_tuned_aucs").size());
            gainSum += fine - scratch;
        }
        assertEquals(gainSum / 2, j.get("mean_gain").asDouble(), 1e-12);
        String md = Files.readString(work.resolve("transfer.md"));
        assertTrue(md.contains("| seed |") && md.contains("| mean |"), md);
    }

    @Test
    void pretrainedBaseIsWrittenAndStartsTheFineTunedArmButNotTheScratchArm() throws Exception {
        Path base = work.resolve("base").resolve("model.zip");
        assertTrue(Files.isRegularFile(base));
        ComputationGraph pretrained = ModelSerializer.restoreComputationGraph(base.toFile(), false);
        float[] conv1 = pretrained.getLayer("conv1/conv").params().toFloatVector();

        TrainingData data = TrainingData.load(target, 32, 3, 8, 0, 0.2, 1, 0);
        ComputationGraph fine = TrainingRecipe.of(TrainingRecipe.options().small(true).imageSize(32).seed(1).weights(base))
                .prepare(data).graph();
        assertArrayEquals(conv1, fine.getLayer("conv1/conv").params().toFloatVector());

        // a phantom base lying in the work folder is ignored when fromScratch is asked for
        Files.copy(base, work.resolve(StartingWeights.PHANTOM_BASE));
        try {
            ComputationGraph scratch = TrainingRecipe.of(TrainingRecipe.options().small(true).imageSize(32).seed(1).workDir(work)
                    .fromScratch(true)).prepare(data).graph();
            assertFalse(java.util.Arrays.equals(conv1, scratch.getLayer("conv1/conv").params().toFloatVector()));
            ComputationGraph auto = TrainingRecipe.of(TrainingRecipe.options().small(true).imageSize(32).seed(1).workDir(work))
                    .prepare(data).graph();
            assertArrayEquals(conv1, auto.getLayer("conv1/conv").params().toFloatVector());
            // the notebook's WEIGHTS setting: "none" = scratch, blank = the base found, a path = that file
            ComputationGraph none = TrainingRecipe.of(TrainingRecipe.options().small(true).imageSize(32).seed(1).workDir(work)
                    .startingWeights("none")).prepare(data).graph();
            assertFalse(java.util.Arrays.equals(conv1, none.getLayer("conv1/conv").params().toFloatVector()));
            ComputationGraph blank = TrainingRecipe.of(TrainingRecipe.options().small(true).imageSize(32).seed(1).workDir(work)
                    .startingWeights(" ")).prepare(data).graph();
            assertArrayEquals(conv1, blank.getLayer("conv1/conv").params().toFloatVector());
            ComputationGraph file = TrainingRecipe.of(TrainingRecipe.options().small(true).imageSize(32).seed(1)
                    .startingWeights(base.toString())).prepare(data).graph();
            assertArrayEquals(conv1, file.getLayer("conv1/conv").params().toFloatVector());
        } finally {
            Files.delete(work.resolve(StartingWeights.PHANTOM_BASE));
        }
    }

    @Test
    void resultStatisticsArePairedDifferences() {
        double[] a = new double[14];
        double[] b = new double[14];
        java.util.Arrays.fill(a, 0.7);
        java.util.Arrays.fill(b, 0.6);
        double[] c = a.clone();
        c[0] = Double.NaN; // undefined finding: left out of the mean
        var r1 = new PhantomTransferExperiment.Replicate(1, 10, 5, new PhantomTransferExperiment.Arm(a, null),
                new PhantomTransferExperiment.Arm(b, null));
        var r2 = new PhantomTransferExperiment.Replicate(2, 10, 5, new PhantomTransferExperiment.Arm(b, null),
                new PhantomTransferExperiment.Arm(c, null));
        var res = new PhantomTransferExperiment.Result("base.zip",
                new PhantomTransferExperiment.Settings(32, true, 8, 1e-3, 1, 10), List.of(r1, r2), 1);
        assertEquals(0.1, r1.gain(), 1e-12);
        assertEquals(-0.1, r2.gain(), 1e-12);
        assertEquals(0.0, res.gains().getMean(), 1e-12);
        assertEquals(Math.sqrt(0.02), res.gains().getStandardDeviation(), 1e-12); // sample sd of {0.1, -0.1}
        assertEquals(1, res.wins());
        assertEquals(0.65, res.table().doubleColumn("fine-tuned base").get(2), 1e-9);
        assertEquals(0.6, res.perFinding().doubleColumn("from scratch").get(0), 1e-9);
    }

    @Test
    void withoutSourceOrBaseItSaysWhatIsMissing() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("transfer", "--target", target.toString());
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("--source") && err.toString().contains("--base"), err.toString());
    }
}
