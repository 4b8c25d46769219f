package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PredictorTest {

    private static ComputationGraph model;
    private static List<ImageRecord> records;
    private static INDArray features;

    @BeforeAll
    static void tinyModel() {
        var conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nOut(Finding.COUNT).activation(Activation.SIGMOID).build(), "in")
                .setOutputs("predictions")
                .setInputTypes(InputType.feedForward(4))
                .build();
        model = new ComputationGraph(conf);
        model.init();
        records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Set<Finding> f = i == 0 ? Set.of() : EnumSet.of(Finding.all().get(i), Finding.all().get(13 - i));
            records.add(ImageRecord.of(String.format("%08d_000.png", i + 1), String.valueOf(i / 2 + 1), f));
        }
        Nd4j.getRandom().setSeed(1);
        features = Nd4j.rand(DataType.FLOAT, 5, 4);
    }

    private static ListDataSetIterator<DataSet> iterator(List<ImageRecord> recs, int batch) {
        List<DataSet> rows = new ArrayList<>();
        for (int i = 0; i < recs.size(); i++) {
            rows.add(new DataSet(features.getRow(i, true),
                    Nd4j.create(new float[][] {recs.get(i).multiHot()})));
        }
        return new ListDataSetIterator<>(rows, batch);
    }

    @Test
    void predictionsMatchModelOutputRowByRow() {
        Predictions p = Predictor.predict(model, iterator(records, 2), records);
        INDArray expected = model.outputSingle(features);
        assertEquals(5, p.size());
        assertEquals("00000003_000.png", p.imageIndex().get(2));
        assertEquals("2", p.patientId().get(2));
        for (int i = 0; i < 5; i++) {
            for (Finding f : Finding.all()) {
                assertEquals(expected.getDouble(i, f.ordinal()), p.probability(i, f), 1e-6);
                assertEquals(records.get(i).has(f) ? 1 : 0, p.label(i, f));
            }
        }
    }

    @Test
    void aDenseNetPredictsThroughTheEngineAsItsGraphDoesAndReleasesIt() {
        org.cxrworkbook.model.DenseNetConfig c = org.cxrworkbook.model.DenseNetConfig.small();
        ComputationGraph net = org.cxrworkbook.model.DenseNet.build(c);
        java.util.Random r = new java.util.Random(4);
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) { // BN statistics away from 0/1/1/0
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                for (String p : List.of("mean", "var", "gamma", "beta")) {
                    INDArray v = l.getParam(p);
                    for (long i = 0; i < v.length(); i++) {
                        v.putScalar(i, p.equals("mean") || p.equals("beta") ? 0.3 * r.nextGaussian()
                                : 0.5 + r.nextDouble());
                    }
                }
            }
        }
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 3, 64, 64);
        List<DataSet> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup(),
                    Nd4j.create(new float[][] {records.get(i).multiHot()})));
        }
        assertEquals("onednn", org.cxrworkbook.model.engine.FrozenBase.predictionsPath(net, x.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).dup()));
        Predictions p = Predictor.predict(net, new ListDataSetIterator<>(rows, 2), records); // batches 2, 2, 1
        assertEquals(0, org.cxrworkbook.model.engine.FrozenBase.compiledEngines(net), "released after the pass");
        INDArray want = net.outputSingle(false, x);
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            for (Finding f : Finding.all()) {
                worst = Math.max(worst, Math.abs(p.probability(i, f) - want.getDouble(i, f.ordinal())));
            }
        }
        assertTrue(worst < 1e-5 * want.amaxNumber().doubleValue(), "max |engine - graph| " + worst);
    }

    @Test
    void savedModelLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(model, zip.toFile(), true);
        ComputationGraph back = Predictor.loadModel(zip);
        assertEquals(model.outputSingle(features), back.outputSingle(features));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Predictor.loadModel(dir.resolve("none.zip")));
        assertTrue(e.getMessage().contains("none.zip") && e.getMessage().contains("notebook 06"), e.getMessage());
    }

    @Test
    void inputChannelsComeFromTheFirstConvolution() {
        var conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nOut(Finding.COUNT).activation(Activation.SIGMOID).build(), "pool")
                .setOutputs("predictions").setInputTypes(InputType.convolutional(16, 12, 3)).build();
        ComputationGraph conv = new ComputationGraph(conf);
        conv.init();
        assertEquals(3, Predictor.inputChannels(conv));
        assertThrows(IllegalArgumentException.class, () -> Predictor.inputChannels(model));
    }

    @Test
    void emptySplitIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Predictor.predict(model, iterator(records, 2), List.of()));
        assertTrue(e.getMessage().contains("split is empty"), e.getMessage());
    }

    @Test
    void countMismatchIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Predictor.predict(model, iterator(records.subList(0, 4), 2), records));
        assertTrue(e.getMessage().contains("yielded 4 images but there are 5 records"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> Predictor.predict(model, iterator(records, 2), records.subList(0, 3)));
    }

    @Test
    void iteratorInAnotherOrderIsDetectedByItsLabels() {
        List<ImageRecord> swapped = new ArrayList<>(records);
        swapped.set(1, records.get(2));
        swapped.set(2, records.get(1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Predictor.predict(model, iterator(swapped, 2), records));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }
}
