package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.image.ImageCache;
import org.cxrworkbook.image.ImageLoader;
import org.cxrworkbook.image.SyntheticRadiographs;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** The image iterator and the weighted loss together in a small convolutional ComputationGraph. */
class IteratorTrainingTest {

    @Test
    void smallCnnTrainsOnIteratorBatchesWithTheWeightedLoss(@TempDir Path dir) {
        SyntheticRadiographs.write(dir, 12, 64, 8);
        List<ImageRecord> recs = new ArrayList<>();
        Finding[] all = Finding.values();
        for (int i = 0; i < 12; i++) {
            recs.add(ImageRecord.of(String.format("img_%03d.png", i), "p" + i,
                    i % 2 == 0 ? EnumSet.of(all[i % 14], all[(i + 3) % 14]) : EnumSet.noneOf(Finding.class)));
        }
        WeightedBinaryCrossEntropy loss = ClassFrequencies.of(recs).loss();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3))
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("predictions", new OutputLayer.Builder().lossFunction(loss).nOut(14).activation(Activation.SIGMOID).build(), "pool")
                .setOutputs("predictions").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        CxrDataSetIterator it = CxrDataSetIterator.builder(recs, new ImageLoader(r -> dir.resolve(r.imageIndex()), 16,
                ImageCache.memory(1 << 22))).batchSize(4).channels(3).build();
        net.fit(it, 2);
        it.shutdown();
        assertEquals(2, it.epoch() + 1, "two epochs visited");
        assertTrue(Double.isFinite(net.score()), "score " + net.score());
    }
}
