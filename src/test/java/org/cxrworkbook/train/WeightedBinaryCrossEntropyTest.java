package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class WeightedBinaryCrossEntropyTest {

    private static final double[][] Y = {{1, 1, 1}, {1, 1, 0}, {0, 1, 0}, {1, 0, 1}};
    private static final WeightedBinaryCrossEntropy COURSE_LOSS =
            new WeightedBinaryCrossEntropy(new double[] {0.25, 0.25, 0.5}, new double[] {0.75, 0.75, 0.5}, 1.0);

    private static INDArray filled(double v) {
        return Nd4j.valueArrayOf(new long[] {4, 3}, v, DataType.DOUBLE);
    }

    @Test
    void courseTestValuesWithProbabilities() {
        INDArray y = Nd4j.createFromArray(Y);
        for (double p : new double[] {0.7, 0.3}) {
            double l = COURSE_LOSS.computeScore(y, filled(p), new ActivationIdentity(), null, true);
            assertEquals(-0.4956203, l, 1e-6, "p = " + p);
        }
    }

    @Test
    void courseTestValuesThroughSigmoid() {
        INDArray y = Nd4j.createFromArray(Y);
        for (double p : new double[] {0.7, 0.3}) {
            double logit = Math.log(p / (1 - p));
            double l = COURSE_LOSS.computeScore(y, filled(logit), new ActivationSigmoid(), null, true);
            assertEquals(-0.4956203, l, 1e-6);
            // sum over examples = batch × average; per-example scores sum to it
            assertEquals(4 * l, COURSE_LOSS.computeScore(y, filled(logit), new ActivationSigmoid(), null, false), 1e-9);
            assertEquals(4 * l, COURSE_LOSS.computeScoreArray(y, filled(logit), new ActivationSigmoid(), null).sumNumber().doubleValue(), 1e-9);
        }
    }

    @Test
    void convenienceScoreAndUnweightedLoss() {
        double[][] p = new double[4][3];
        for (double[] row : p) {
            java.util.Arrays.fill(row, 0.3);
        }
        assertEquals(-0.4956203, COURSE_LOSS.score(Y, p), 1e-6);
        // unweighted, p = 0.5 everywhere: each of 3 classes contributes −log(0.5 + 1e-7) ≈ log 2
        double[][] half = {{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}};
        double[][] y = {{1, 0, 1}, {0, 0, 1}};
        assertEquals(-3 * Math.log(0.5 + 1e-7), WeightedBinaryCrossEntropy.unweighted(3).score(y, half), 1e-12);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random rnd = new Random(7);
        int b = 5;
        int k = 4;
        double[][] z = new double[b][k];
        double[][] y = new double[b][k];
        double[] wp = new double[k];
        double[] wn = new double[k];
        for (int j = 0; j < k; j++) {
            wp[j] = 0.1 + rnd.nextDouble();
            wn[j] = 0.1 + rnd.nextDouble();
        }
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                z[i][j] = rnd.nextGaussian() * 2;
                y[i][j] = rnd.nextBoolean() ? 1 : 0;
            }
        }
        WeightedBinaryCrossEntropy loss = new WeightedBinaryCrossEntropy(wp, wn, 1e-7);
        IActivation sigmoid = new ActivationSigmoid();
        INDArray labels = Nd4j.createFromArray(y);
        INDArray pre = Nd4j.createFromArray(z);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}, {1}});
        for (INDArray m : new INDArray[] {null, mask}) {
            INDArray grad = loss.computeGradient(labels, pre, sigmoid, m);
            double h = 1e-6;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < k; j++) {
                    INDArray plus = pre.dup();
                    plus.putScalar(i, j, z[i][j] + h);
                    INDArray minus = pre.dup();
                    minus.putScalar(i, j, z[i][j] - h);
                    double fd = (loss.computeScore(labels, plus, sigmoid, m, false)
                            - loss.computeScore(labels, minus, sigmoid, m, false)) / (2 * h);
                    assertEquals(fd, grad.getDouble(i, j), 1e-7 * Math.max(1, Math.abs(fd)), "element " + i + "," + j);
                }
            }
        }
    }

    @Test
    void masksRemoveTerms() {
        INDArray y = Nd4j.createFromArray(Y);
        INDArray p = filled(0.7);
        IActivation id = new ActivationIdentity();
        INDArray perExample = Nd4j.createFromArray(new double[][] {{1}, {1}, {0}, {1}});
        INDArray scores = COURSE_LOSS.computeScoreArray(y, p, id, null);
        INDArray masked = COURSE_LOSS.computeScoreArray(y, p, id, perExample);
        assertEquals(0.0, masked.getDouble(2, 0), 0);
        assertEquals(scores.getDouble(0, 0), masked.getDouble(0, 0), 1e-12);
        INDArray perOutput = Nd4j.ones(DataType.DOUBLE, 4, 3);
        perOutput.putScalar(1, 2, 0);
        // row 1, class 2: y = 0 → term −0.5·log(1 − 0.7 + 1) removed
        double expected = scores.getDouble(1, 0) + 0.5 * Math.log(1.3);
        assertEquals(expected, COURSE_LOSS.computeScoreArray(y, p, id, perOutput).getDouble(1, 0), 1e-12);
        INDArray g = COURSE_LOSS.computeGradient(y, p, id, perOutput);
        assertEquals(0.0, g.getDouble(1, 2), 0);
        assertTrue(g.getDouble(1, 1) != 0);
    }

    @Test
    void noPositivesClassStaysFinite() {
        double[][] labels = {{0, 1}, {0, 0}, {0, 1}};
        WeightedBinaryCrossEntropy loss = ClassFrequencies.compute(labels).loss();
        INDArray y = Nd4j.createFromArray(labels);
        INDArray pre = Nd4j.createFromArray(new double[][] {{30, -30}, {-30, 30}, {0, 0}});
        double s = loss.computeScore(y, pre, new ActivationSigmoid(), null, true);
        assertTrue(Double.isFinite(s));
        INDArray g = loss.computeGradient(y, pre, new ActivationSigmoid(), null);
        assertTrue(Double.isFinite(g.sumNumber().doubleValue()));
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedBinaryCrossEntropy(new double[] {1}, new double[] {1, 2}, 1e-7));
        assertThrows(IllegalArgumentException.class, () -> new WeightedBinaryCrossEntropy(new double[] {Double.NaN}, new double[] {1}, 1e-7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> COURSE_LOSS.computeScore(Nd4j.zeros(2, 4), Nd4j.zeros(2, 4), new ActivationSigmoid(), null, true));
        assertTrue(e.getMessage().contains("weights for 3"), e.getMessage());
    }

    private static ComputationGraphConfiguration config(WeightedBinaryCrossEntropy loss) {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("predictions", new OutputLayer.Builder().lossFunction(loss).nIn(4).nOut(3)
                        .activation(Activation.SIGMOID).build(), "dense")
                .setOutputs("predictions").build();
    }

    @Test
    void jsonRoundTripInsideAGraphConfiguration() {
        ComputationGraphConfiguration conf = config(COURSE_LOSS);
        String json = conf.toJson();
        assertTrue(json.contains("WeightedBinaryCrossEntropy"), json);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        LayerVertex vertex = (LayerVertex) back.getVertices().get("predictions");
        OutputLayer out = (OutputLayer) vertex.getLayerConf().getLayer();
        assertInstanceOf(WeightedBinaryCrossEntropy.class, out.getLossFn());
        assertEquals(COURSE_LOSS, out.getLossFn());
    }

    @Test
    void trainsInAComputationGraphAndScoresAsTheCourseL() {
        ComputationGraph net = new ComputationGraph(config(COURSE_LOSS));
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 5).subi(0.5);
        INDArray y = Nd4j.createFromArray(Y).castTo(DataType.FLOAT);
        DataSet ds = new DataSet(x, y);
        double before = net.score(ds);
        // The network's score equals the loss averaged over the batch, computed from its own output.
        INDArray p = net.outputSingle(x).castTo(DataType.DOUBLE);
        double expected = COURSE_LOSS.computeScore(Nd4j.createFromArray(Y), p, new ActivationIdentity(), null, true);
        assertEquals(expected, before, 1e-5);
        for (int i = 0; i < 20; i++) {
            net.fit(ds);
        }
        double after = net.score(ds);
        assertTrue(Double.isFinite(after));
        assertTrue(after < before, before + " -> " + after);
    }
}
