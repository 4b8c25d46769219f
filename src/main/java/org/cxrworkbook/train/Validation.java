package org.cxrworkbook.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.ROCBinary;
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
     * predicted probabilities (identity activation), so no second forward pass is needed; AUCs come from
     * DL4J's {@link ROCBinary} in exact mode (threshold steps 0).
     */
    public static ValidationResult evaluate(ComputationGraph graph, DataSetIterator data, int maxBatches) {
        ILossFunction loss = lossFunction(graph);
        ROCBinary roc = new ROCBinary(0);
        double lossSum = 0;
        int images = 0;
        int batches = 0;
        if (data.resetSupported()) {
            data.reset();
        }
        while (data.hasNext() && (maxBatches <= 0 || batches < maxBatches)) {
            DataSet ds = data.next();
            INDArray out = graph.output(false, ds.getFeatures())[0];
            int n = (int) ds.getFeatures().size(0);
            Shapes.checkLabels(graph, ds.getLabels(), "validation batch " + (batches + 1));
            lossSum += loss.computeScore(ds.getLabels(), out.dup(), new ActivationIdentity(), ds.getLabelsMaskArray(), false);
            roc.eval(ds.getLabels(), out);
            images += n;
            batches++;
        }
        if (images == 0) {
            return new ValidationResult(Double.NaN, new double[0], Double.NaN, 0);
        }
        double[] aucs = aucs(roc);
        return new ValidationResult(lossSum / images, aucs, meanDefined(aucs), images);
    }

    /** AUC per column, NaN where the column lacks positives or negatives. */
    static double[] aucs(ROCBinary roc) {
        double[] aucs = new double[roc.numLabels()];
        for (int i = 0; i < aucs.length; i++) {
            boolean bothClasses = roc.getCountActualPositive(i) > 0 && roc.getCountActualNegative(i) > 0;
            aucs[i] = bothClasses ? roc.calculateAUC(i) : Double.NaN;
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
