package org.cxrworkbook.train;

import java.util.Arrays;
import org.cxrworkbook.data.Decimals;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Class-weighted binary cross-entropy for multi-label outputs (the course's weighted loss), as a DL4J
 * loss function usable in an {@code OutputLayer} with sigmoid activation and serialisable in the
 * network's JSON configuration.
 *
 * <p>Per example: {@code s = Σ_classes −(w_pos·y·log(p+ε) + w_neg·(1−y)·log(1−p+ε))}, p = activation(preOutput).
 * DL4J convention: {@code computeScore(..., average=true)} = Σ_examples s / batch, which equals the course's
 * {@code L = Σ_classes mean_batch(...)}; {@code average=false} gives the sum over examples. Gradients are of
 * the sum over examples with respect to the pre-activation (through the activation's backprop), as DL4J's
 * own losses return them. Masks ([b,1] per example or [b,classes] per output) zero the masked terms.
 */
public final class WeightedBinaryCrossEntropy implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** The course's ε. */
    public static final double DEFAULT_EPSILON = 1e-7;

    @JsonProperty("positiveWeights")
    private final double[] positiveWeights;
    @JsonProperty("negativeWeights")
    private final double[] negativeWeights;
    @JsonProperty("epsilon")
    private final double epsilon;

    /** A loss with per-class weights for positives and negatives and the given ε. */
    @JsonCreator
    public WeightedBinaryCrossEntropy(@JsonProperty("positiveWeights") double[] positiveWeights,
                                      @JsonProperty("negativeWeights") double[] negativeWeights,
                                      @JsonProperty("epsilon") double epsilon) {
        if (positiveWeights == null || negativeWeights == null || positiveWeights.length != negativeWeights.length
                || positiveWeights.length == 0) {
            throw new IllegalArgumentException("positive and negative weights must be non-empty and of equal length, got "
                    + Arrays.toString(positiveWeights) + " and " + Arrays.toString(negativeWeights));
        }
        for (int i = 0; i < positiveWeights.length; i++) {
            if (!Double.isFinite(positiveWeights[i]) || !Double.isFinite(negativeWeights[i])) {
                throw new IllegalArgumentException("class " + i + " has a non-finite weight");
            }
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        this.positiveWeights = positiveWeights.clone();
        this.negativeWeights = negativeWeights.clone();
        this.epsilon = epsilon;
    }

    /** w_pos = freq_neg, w_neg = freq_pos, ε = 1e-7. */
    public static WeightedBinaryCrossEntropy of(ClassFrequencies freqs) {
        return freqs.loss();
    }

    /** The plain (unweighted) binary cross-entropy over {@code classes} classes: all weights 1, ε = 1e-7. */
    public static WeightedBinaryCrossEntropy unweighted(int classes) {
        double[] ones = new double[classes];
        java.util.Arrays.fill(ones, 1.0);
        return new WeightedBinaryCrossEntropy(ones, ones, DEFAULT_EPSILON);
    }

    /** The course's L for labels y and probabilities p ({@code [examples][classes]}): Σ_classes mean_batch of the terms. */
    public double score(double[][] y, double[][] p) {
        return computeScore(Nd4j.createFromArray(y), Nd4j.createFromArray(p), new ActivationIdentity(), null, true);
    }

    public double[] positiveWeights() {
        return positiveWeights.clone();
    }

    public double[] negativeWeights() {
        return negativeWeights.clone();
    }

    public double epsilon() {
        return epsilon;
    }

    /** Per-element terms −(w_pos·y·log(p+ε) + w_neg·(1−y)·log(1−p+ε)), masked. */
    private INDArray terms(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        INDArray wPos = weights(positiveWeights, preOutput);
        INDArray wNeg = weights(negativeWeights, preOutput);
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray logP = Transforms.log(p.add(epsilon), false);
        INDArray log1mP = Transforms.log(p.rsub(1.0).addi(epsilon), false);
        INDArray pos = y.mul(logP).muliRowVector(wPos);
        INDArray neg = y.rsub(1.0).muli(log1mP).muliRowVector(wNeg);
        INDArray t = pos.addi(neg).negi();
        if (mask != null) {
            LossUtil.applyMask(t, mask);
        }
        return t;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = terms(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return terms(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput);
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray wPos = weights(positiveWeights, preOutput);
        INDArray wNeg = weights(negativeWeights, preOutput);
        // dL/dp = −w_pos·y/(p+ε) + w_neg·(1−y)/(1−p+ε)
        INDArray dPos = y.div(p.add(epsilon)).muliRowVector(wPos);
        INDArray dNeg = y.rsub(1.0).divi(p.rsub(1.0).addi(epsilon)).muliRowVector(wNeg);
        INDArray dLdp = dNeg.subi(dPos);
        if (mask != null) {
            LossUtil.applyMask(dLdp, mask);
        }
        INDArray grad = activationFn.backprop(preOutput.dup(), dLdp).getFirst();
        if (mask != null) {
            LossUtil.applyMask(grad, mask);
        }
        return grad;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "WeightedBinaryCrossEntropy";
    }

    private void check(INDArray labels, INDArray preOutput) {
        if (preOutput.rank() != 2 || !Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("labels " + Arrays.toString(labels.shape()) + " and output "
                    + Arrays.toString(preOutput.shape()) + " must be equal-shaped matrices [batch, classes]");
        }
        if (preOutput.size(1) != positiveWeights.length) {
            throw new IllegalArgumentException("output has " + preOutput.size(1) + " classes but the loss has weights for "
                    + positiveWeights.length);
        }
    }

    private static INDArray weights(double[] w, INDArray like) {
        return Nd4j.createFromArray(w).castTo(like.dataType()).reshape(1, w.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightedBinaryCrossEntropy l && Arrays.equals(positiveWeights, l.positiveWeights)
                && Arrays.equals(negativeWeights, l.negativeWeights) && epsilon == l.epsilon;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(positiveWeights) + Arrays.hashCode(negativeWeights)) + Double.hashCode(epsilon);
    }

    @Override
    public String toString() {
        return "WeightedBinaryCrossEntropy(wPos=" + Decimals.sig(positiveWeights, 4) + ", wNeg="
                + Decimals.sig(negativeWeights, 4) + ", eps=" + Decimals.sig(epsilon, 4) + ")";
    }
}
