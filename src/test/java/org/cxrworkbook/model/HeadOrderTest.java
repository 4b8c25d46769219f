package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A 14-way head stored in the course's output order comes back in canonical order only when the order is given. */
class HeadOrderTest {

    @TempDir
    static Path dir;
    static ComputationGraph source;
    static Path courseFile;
    static INDArray x;
    static INDArray expected;

    static DenseNetConfig config(long seed) {
        return DenseNetConfig.small().toBuilder().inputSize(32).channels(1).classes(Finding.COUNT).seed(seed).build();
    }

    @BeforeAll
    static void saveAModelWithItsHeadInCourseOrder() throws Exception {
        source = DenseNet.build(config(1));
        KerasWeightsTest.randomiseBatchNormStatistics(source, 5);
        Nd4j.getRandom().setSeed(3);
        source.getLayer(DenseNet.HEAD).getParam("b").assign(Nd4j.randn(DataType.FLOAT, 1, Finding.COUNT));
        courseFile = dir.resolve("course-order.h5");
        KerasWeights.saveFullModel(source, courseFile, "dense", HeadOrder.COURSE);
        x = Nd4j.rand(DataType.FLOAT, 3, 1, 32, 32);
        expected = source.outputSingle(x);
    }

    @Test
    void theCoursePresetIsTheCourseLabelsList() {
        assertEquals(List.of("Cardiomegaly", "Emphysema", "Effusion", "Hernia", "Infiltration", "Mass", "Nodule",
                "Atelectasis", "Pneumothorax", "Pleural_Thickening", "Pneumonia", "Fibrosis", "Edema", "Consolidation"),
                HeadOrder.COURSE.labels().stream().map(Finding::label).toList());
        // canonical Atelectasis (0) sits in the course's column 7, Cardiomegaly (1) in column 0, Hernia (7) in 3
        int[] columns = HeadOrder.COURSE.sourceColumns();
        assertEquals(7, columns[Finding.ATELECTASIS.ordinal()]);
        assertEquals(0, columns[Finding.CARDIOMEGALY.ordinal()]);
        assertEquals(3, columns[Finding.HERNIA.ordinal()]);
        assertEquals(13, columns[Finding.CONSOLIDATION.ordinal()]);
    }

    @Test
    void theFileReallyHoldsTheCourseOrder() throws Exception {
        try (Hdf5File f = Hdf5File.open(courseFile)) {
            float[] bias = f.readFloats("/model_weights/dense/dense/bias:0").values();
            INDArray b = source.getLayer(DenseNet.HEAD).getParam("b");
            assertEquals(b.getFloat(Finding.CARDIOMEGALY.ordinal()), bias[0], 0f);   // course column 0
            assertEquals(b.getFloat(Finding.ATELECTASIS.ordinal()), bias[7], 0f);    // course column 7
        }
    }

    @Test
    void importWithCourseOrderGivesTheOriginalPredictions() {
        ComputationGraph target = DenseNet.build(config(2));
        KerasWeights.ImportReport report = KerasWeights.load(target, courseFile, HeadOrder.COURSE);
        assertEquals("dense", report.imported().get(DenseNet.HEAD));
        assertTrue(report.headOrder().startsWith("head order of 'dense': course (given)"), report.headOrder());
        assertEquals(expected, target.outputSingle(x));
        // the same weights written in alphabetical order import to the same predictions
        Path alphabetical = dir.resolve("alphabetical.h5");
        try {
            KerasWeights.saveFullModel(source, alphabetical, "dense", HeadOrder.ALPHABETICAL);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        ComputationGraph other = DenseNet.build(config(3));
        KerasWeights.load(other, alphabetical, HeadOrder.ALPHABETICAL);
        assertEquals(target.outputSingle(x), other.outputSingle(x));
    }

    @Test
    void ignoringTheOrderScramblesEveryFinding() {
        ComputationGraph target = DenseNet.build(config(2));
        KerasWeights.ImportReport report = KerasWeights.load(target, courseFile, HeadOrder.ALPHABETICAL);
        INDArray got = target.outputSingle(x);
        assertNotEquals(expected, got);
        // what it gives instead: canonical column j holds the course's column j, i.e. another finding's score
        for (int j = 0; j < Finding.COUNT; j++) {
            Finding inColumn = HeadOrder.COURSE.labels().get(j);
            assertEquals(expected.getDouble(0, inColumn.ordinal()), got.getDouble(0, j), 1e-5, "column " + j);
        }
        assertTrue(report.headOrder().contains("alphabetical (given)"));
    }

    @Test
    void withoutAnOrderTheFileNameDecidesAndTheReportSaysSo() throws Exception {
        Path pretrained = dir.resolve("course").resolve("pretrained_model.h5");
        Files.createDirectories(pretrained.getParent());
        Files.copy(courseFile, pretrained);
        ComputationGraph target = DenseNet.build(config(2));
        KerasWeights.ImportReport report = KerasWeights.load(target, pretrained);
        assertEquals(expected, target.outputSingle(x));
        assertEquals("head order of 'dense': course (assumed from the file name pretrained_model.h5, the course's "
                + "saved model), columns reordered into alphabetical order; pass a head order (course, alphabetical "
                + "or a file of 14 names) to change", report.headOrder());
        assertFalse(report.headOrder().contains("\n"));

        ComputationGraph other = DenseNet.build(config(2));
        KerasWeights.ImportReport assumed = KerasWeights.load(other, courseFile);
        assertTrue(assumed.headOrder().startsWith("head order of 'dense': alphabetical (assumed"), assumed.headOrder());
        assertNotEquals(expected, other.outputSingle(x));
    }

    @Test
    void aFileListingTheOrderWorksLikeThePreset() throws Exception {
        Path list = dir.resolve("order.txt");
        Files.writeString(list, String.join("\n", Finding.labels().stream().filter(l -> true).toList().stream()
                .sorted(java.util.Comparator.comparingInt(l -> HeadOrder.COURSE.labels().indexOf(Finding.fromLabel(l).orElseThrow())))
                .toList()) + "\n");
        assertEquals(HeadOrder.COURSE.labels(), HeadOrder.parse(list.toString()).labels());
        assertEquals(HeadOrder.COURSE, HeadOrder.parse("course"));
        assertEquals(HeadOrder.ALPHABETICAL, HeadOrder.parse("alphabetical"));
    }

    @Test
    void badListsAndWidthsAreRefusedWithTheList() throws Exception {
        Path list = dir.resolve("bad-order.txt");
        Files.writeString(list, "Cardiomegaly,Emphysema,Effusion,Hernia,Infiltration,Mass,Nodules,Atelectasis,"
                + "Pneumothorax,Pleural_Thickening,Pneumonia,Fibrosis,Edema,Edema\n");
        DataException e = assertThrows(DataException.class, () -> HeadOrder.parse(list.toString()));
        String m = e.problems().get(0).message();
        assertTrue(m.startsWith("head order refused: unknown [Nodules]; repeated [Edema]. The list: [Cardiomegaly, "), m);
        assertTrue(m.contains("Allowed names: [Atelectasis, Cardiomegaly"), m);
        Files.writeString(list, "Cardiomegaly,Emphysema\n");
        assertTrue(assertThrows(DataException.class, () -> HeadOrder.parse(list.toString())).getMessage()
                .contains("2 names instead of 14, missing [Atelectasis, Consolidation"));
        assertThrows(DataException.class, () -> HeadOrder.parse("no-such-order"));

        // a 3-way head with an order given: refused, and nothing is changed
        ComputationGraph three = DenseNet.build(KerasWeightsTest.small(1));
        Path h5 = dir.resolve("three.h5");
        KerasWeights.saveFullModel(three, h5, "dense", HeadOrder.ALPHABETICAL);
        ComputationGraph target = DenseNet.build(KerasWeightsTest.small(1).toBuilder().seed(4).build());
        INDArray before = target.params().dup();
        DataException w = assertThrows(DataException.class, () -> KerasWeights.load(target, h5, HeadOrder.COURSE));
        assertTrue(w.getMessage().contains("has 3 outputs, not 14"), w.getMessage());
        assertTrue(w.getMessage().contains("Cardiomegaly, Emphysema"), w.getMessage());
        assertEquals(before, target.params());
        // without an order a 3-way head imports as before, and no order line is written
        assertNull(KerasWeights.load(target, h5).headOrder());
    }

    @Test
    void reorderingColumnsByHand() {
        float[] m = {0, 1, 2, 10, 11, 12};   // 2 rows × 3 columns
        assertArrayEquals(new float[] {2, 0, 1, 12, 10, 11}, KerasWeights.reorderColumns(m, 3, new int[] {2, 0, 1}));
    }
}
