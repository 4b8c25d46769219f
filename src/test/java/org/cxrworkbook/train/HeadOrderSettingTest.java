package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.HeadOrder;
import org.cxrworkbook.model.KerasWeights;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The head order of Keras starting weights as a run setting ({@code CXR_HEAD_ORDER}, notebook 06, {@code ./cxr train
 * --head-order}): refused values named, and a course-order head reordered when the file is the starting weights.
 */
class HeadOrderSettingTest {

    @TempDir
    static Path dir;
    static ComputationGraph source;
    static Path courseFile;

    static DenseNetConfig config(long seed) {
        return DenseNetConfig.small().toBuilder().inputSize(32).channels(1).classes(Finding.COUNT).seed(seed).build();
    }

    @BeforeAll
    static void aKerasFileWithItsHeadInTheCourseOrder() throws Exception {
        source = DenseNet.build(config(1));
        Nd4j.getRandom().setSeed(3);
        source.getLayer(DenseNet.HEAD).getParam("b").assign(Nd4j.randn(DataType.FLOAT, 1, Finding.COUNT));
        courseFile = dir.resolve("course-order.h5");
        KerasWeights.saveFullModel(source, courseFile, "dense", HeadOrder.COURSE);
    }

    private static RunSettings settings(Map<String, String> vars) {
        return RunSettings.classroom().toBuilder().overrides(SettingSource.of(vars, "CXR_")).build();
    }

    @Test
    void theVariableIsReadAndShown() {
        RunSettings s = settings(Map.of("WEIGHTS", courseFile.toString(), "HEAD_ORDER", "course"));
        assertEquals(Optional.of(HeadOrder.COURSE), s.headOrderGiven());
        assertTrue(s.summary().contains(courseFile + " (head order course)"), s.summary());
        assertTrue(s.summary().contains("headOrder=course (CXR_HEAD_ORDER)"), s.summary());
        assertEquals(Optional.empty(), RunSettings.classroom().headOrderGiven());
        assertEquals(HeadOrder.COURSE, StagedTraining.Plan.of(s).headOrder());
        assertEquals(null, StagedTraining.Plan.of(RunSettings.classroom()).headOrder());
    }

    @Test
    void badValuesAreRefusedNamingTheVariable() throws Exception {
        SettingException unknown = assertThrows(SettingException.class,
                () -> settings(Map.of("WEIGHTS", courseFile.toString(), "HEAD_ORDER", "reverse")));
        assertTrue(unknown.getMessage().startsWith("CXR_HEAD_ORDER (headOrder) = reverse is not allowed: give course, "
                + "alphabetical or a file listing the 14 findings"), unknown.getMessage());
        Path list = dir.resolve("order.txt");
        Files.writeString(list, String.join("\n", Finding.labels()).replace("Hernia", "Hernie"));
        SettingException file = assertThrows(SettingException.class,
                () -> settings(Map.of("WEIGHTS", courseFile.toString(), "HEAD_ORDER", list.toString())));
        assertTrue(file.getMessage().contains("CXR_HEAD_ORDER (headOrder) = " + list) && file.getMessage().contains(
                "unknown [Hernie]"), file.getMessage());
        SettingException notKeras = assertThrows(SettingException.class,
                () -> settings(Map.of("HEAD_ORDER", "course")));
        assertTrue(notKeras.getMessage().startsWith("CXR_HEAD_ORDER (headOrder) = course is not allowed: a head order "
                + "says how a Keras .h5/.hdf5 file's 14 outputs are ordered, and the starting weights are the workbook's "
                + "base"), notKeras.getMessage());
    }

    @Test
    void startingWeightsWithACourseOrderHeadAreReordered() throws Exception {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32);
        INDArray expected = source.outputSingle(x);
        ComputationGraph given = DenseNet.build(config(2));
        String report = StartingWeights.load(given, courseFile, false, HeadOrder.COURSE);
        assertTrue(report.contains("head order of 'dense': course (given), columns reordered into alphabetical order"), report);
        assertEquals(expected, given.outputSingle(x));
        // the file's name says nothing: without the order it is taken as alphabetical, and every finding gets another's score
        ComputationGraph assumed = DenseNet.build(config(2));
        String line = StartingWeights.load(assumed, courseFile, false, null);
        assertTrue(line.contains("alphabetical (assumed"), line);
        assertNotEquals(expected, assumed.outputSingle(x));
        Path zipFile = dir.resolve("ours.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(DenseNet.build(config(3)), zipFile.toFile(), false);
        TrainingException zip = assertThrows(TrainingException.class, () -> StartingWeights.load(DenseNet.build(config(2)),
                zipFile, false, HeadOrder.COURSE));
        assertTrue(zip.getMessage().startsWith("head order course given for " + zipFile + ": a head order applies to Keras "
                + ".h5/.hdf5 weights"), zip.getMessage());
    }

    @Test
    void theStagedRecipeImportsTheHeadInTheGivenOrder() {
        Path data = dir.resolve("phantom");
        PhantomGenerator.builder().images(24).size(32).seed(6).threads(2).progress(null).build().generate(data);
        RunSettings s = RunSettings.classroom().toBuilder().dataDir(data).workDir(dir.resolve("work")).model("small")
                .imageSize(32).channels(1).startingWeights(courseFile.toString()).headOrder("course").build();
        List<String> log = new ArrayList<>();
        StagedTraining.Features f = StagedTraining.of(StagedTraining.Plan.of(s), log::add).features();
        assertTrue(f.startedFrom().contains("head order of 'dense': course (given)"), f.startedFrom());
        INDArray head = source.getLayer(DenseNet.HEAD).getParam("b");
        assertEquals(head, f.full().getLayer(DenseNet.HEAD).getParam("b"), "bias back in alphabetical order");
        assertEquals(source.getLayer(DenseNet.HEAD).getParam("W"), f.full().getLayer(DenseNet.HEAD).getParam("W"));
    }
}
