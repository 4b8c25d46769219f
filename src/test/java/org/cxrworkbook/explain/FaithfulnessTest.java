package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FaithfulnessTest {

    /** p = sigmoid(4 · mean of the 4×4 pixels): a model whose score is exactly the share of bright pixels kept. */
    private static ComputationGraph meanModel() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).graphBuilder()
                .addInputs("in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(1).nOut(1)
                        .activation(Activation.SIGMOID).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(4, 4, 1)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        g.getLayer("out").setParam("W", Nd4j.create(new double[][] {{4}}));
        g.getLayer("out").setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        return g;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static float[][] map(float inBlock, float outside) {
        float[][] m = new float[4][4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                m[y][x] = y < 2 && x < 2 ? inBlock : outside;
            }
        }
        return m;
    }

    @Test
    void uniformFilmGivesTheHandComputedCurves() {
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 4);
        Faithfulness.Curves c = Faithfulness.of(4, 1, 1).curves(meanModel(), ones, 0, map(1, 0));
        // k/4 of the 16 pixels removed: mean 1 - k/4, p = sigmoid(4 - k); insertion the reverse
        double[] del = {sigmoid(4), sigmoid(3), sigmoid(2), sigmoid(1), sigmoid(0)};
        double[] ins = {sigmoid(0), sigmoid(1), sigmoid(2), sigmoid(3), sigmoid(4)};
        assertArrayEquals(del, c.deletion(), 1e-9);
        assertArrayEquals(ins, c.insertion(), 1e-9);
        double area = ((del[0] + del[1]) / 2 + (del[1] + del[2]) / 2 + (del[2] + del[3]) / 2 + (del[3] + del[4]) / 2) / 4;
        assertEquals(area, c.deletionArea(), 1e-12);
        assertEquals(area, c.insertionArea(), 1e-12);   // symmetric here
    }

    @Test
    void aMapOnTheSignalDeletesFasterThanOneOffIt() {
        // bright 2x2 block in the top-left corner, zeros elsewhere: mean 0.25 -> p = sigmoid(1)
        INDArray film = Nd4j.create(new double[] {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, new long[] {1, 1, 4, 4}, 'c');
        Faithfulness f = Faithfulness.of(4, 1, 3);
        Faithfulness.Curves on = f.curves(meanModel(), film, 0, map(1, 0));
        Faithfulness.Curves off = f.curves(meanModel(), film, 0, map(0, 1));
        assertArrayEquals(new double[] {sigmoid(1), sigmoid(0), sigmoid(0), sigmoid(0), sigmoid(0)}, on.deletion(), 1e-9);
        assertArrayEquals(new double[] {sigmoid(1), sigmoid(1), sigmoid(1), sigmoid(1), sigmoid(0)}, off.deletion(), 1e-9);
        assertArrayEquals(new double[] {sigmoid(0), sigmoid(1), sigmoid(1), sigmoid(1), sigmoid(1)}, on.insertion(), 1e-9);
        assertEquals(((sigmoid(1) + sigmoid(0)) / 2 + 3 * sigmoid(0)) / 4, on.deletionArea(), 1e-12);
        assertTrue(on.deletionArea() < off.deletionArea());
        assertTrue(on.insertionArea() > off.insertionArea());
    }

    @Test
    void orderIsBySaliencyWithSeededTies() {
        float[][] s = {{0.1f, 0.9f}, {0.5f, 0.5f}};
        int[] a = Faithfulness.order(s, new Random(1));
        assertEquals(1, a[0]);
        assertEquals(0, a[3]);
        assertEquals(java.util.Set.of(2, 3), java.util.Set.of(a[1], a[2]));
        assertArrayEquals(a, Faithfulness.order(s, new Random(1)));
        assertEquals(0.5, Faithfulness.area(new double[] {1, 0.5, 0}), 1e-12);
    }

    @Test
    void mapOfTheWrongSizeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Faithfulness.of(4, 1, 1)
                .curves(meanModel(), Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 4), 0, new float[2][2]));
        assertEquals("saliency map is 2x2 but the input is 4x4", e.getMessage());
    }
}
