package org.cxrworkbook.train;

import org.cxrworkbook.model.engine.FrozenBase;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Validation pass: loss and per-finding AUC from one forward pass per batch. */
public final class Validation {

    private Validation() {
    }

    /**
     * Evaluates {@code graph} (single input, single output) on {@code data} (reset first), using at most
     * {@code maxBatches} batches (0 = all). The loss is the output layer's own loss function applied to the
     * predicted probabilities (identity activation), so no second forward pass is needed; AUCs are exact rank AUCs
     * ({@link RankAuc}) over all validation images. A whole DenseNet's base runs on the CPU's oneDNN engine
     * ({@link FrozenBase#predictions}), released at the end (training uses the graph between two passes).
     */
    public static ValidationResult evaluate(ComputationGraph graph, DataSetIterator data, int maxBatches) {
        try {
            return evaluateAll(graph, data, maxBatches);
        } finally {
            FrozenBase.release(graph);
        }
    }

    private static ValidationResult evaluateAll(ComputationGraph graph, DataSetIterator data, int maxBatches) {
        ILossFunction loss = lossFunction(graph);
        List<INDArray> labels = new ArrayList<>();
        List<INDArray> outputs = new ArrayList<>();
        double lossSum = 0;
        int images = 0;
        int batches = 0;
        if (data.resetSupported()) {
            data.reset();
        }
        while (data.hasNext() && (maxBatches <= 0 || batches < maxBatches)) {
            DataSet ds = data.next();
            INDArray out = FrozenBase.predictions(graph, ds.getFeatures());
            int n = (int) ds.getFeatures().size(0);
            Shapes.checkLabels(graph, ds.getLabels(), "validation batch " + (batches + 1));
            lossSum += loss.computeScore(ds.getLabels(), out.dup(), new ActivationIdentity(), ds.getLabelsMaskArray(), false);
            labels.add(ds.getLabels().castTo(DataType.DOUBLE));
            outputs.add(out.castTo(DataType.DOUBLE));
            images += n;
            batches++;
        }
        if (images == 0) {
            return new ValidationResult(Double.NaN, new double[0], Double.NaN, 0);
        }
        double[] aucs = aucs(Nd4j.vstack(labels), Nd4j.vstack(outputs));
        return new ValidationResult(lossSum / images, aucs, meanDefined(aucs), images);
    }

    /** AUC per column ({@link RankAuc}), NaN where the column lacks positives or negatives. */
    public static double[] aucs(INDArray labels, INDArray scores) {
        double[] aucs = new double[(int) labels.size(1)];
        for (int i = 0; i < aucs.length; i++) {
            aucs[i] = RankAuc.auc(labels.getColumn(i).toDoubleVector(), scores.getColumn(i).toDoubleVector());
        }
        return aucs;
    }

    /** Mean of the finite entries, NaN if none. */
    static double meanDefined(double[] values) {
        return java.util.Arrays.stream(values).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** The loss function of the graph's (single) output layer. */
    static ILossFunction lossFunction(ComputationGraph graph) {
        Layer out = graph.getOutputLayer(0);
        org.deeplearning4j.nn.conf.layers.Layer conf = out.conf().getLayer();
        if (conf instanceof BaseOutputLayer bol) {
            return bol.getLossFn();
        }
        if (conf instanceof LossLayer ll) {
            return ll.getLossFn();
        }
        throw new IllegalArgumentException("output vertex '" + conf.getLayerName()
                + "' is not an output layer with a loss function (" + conf.getClass().getSimpleName() + ")");
    }
}
