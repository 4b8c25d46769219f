package org.cxrworkbook.model.engine;

import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.NoOpUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J's updater for a graph trained with Adam, applied in one pass over the flattened gradient instead of one native
 * call per updater block, on the same state array (so checkpoints, resumption and the source graph see the same Adam
 * moments). Falls back to DL4J's own {@link ComputationGraphUpdater#update} whenever a block is not plain Adam or
 * DL4J's no-op (BatchNorm's running statistics), a layer has regularization or gradient normalization, or the gradient
 * is not the graph's own flattened gradient.
 *
 * <p>Hand-written because DL4J splits DenseNet121's parameters into 243 updater blocks (every BatchNorm's mean and
 * variance use a no-op updater and break the run), and its update then costs 243 minibatch divisions and 120 Adam
 * calls: 121–129 ms per step at 128², batch 8, a quarter of PyTorch's whole step. The arithmetic is DL4J's Adam
 * kernel's, in float: g ← g / batch (parameters DL4J divides by the minibatch), m ← β₁m + (1 − β₁)g,
 * v ← β₂v + (1 − β₂)g², step = m · lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) / (√v + ε) with t = iteration + 1, written where the
 * gradient was; the solver then subtracts it, as with DL4J's updater.
 */
final class FusedAdamUpdater extends ComputationGraphUpdater {

    /** The plan for one block: where its gradient and moments are, and its Adam settings (null for a no-op). */
    private record Block(int from, int to, long m, long v, Adam adam, boolean divide) {
    }

    private final ComputationGraphUpdater source;
    /** Scratch for one block's gradient and moments. */
    private float[] gs = new float[0];
    private float[] ms = new float[0];
    private float[] vs = new float[0];

    /** An updater over {@code graph} sharing {@code source}'s state array (its blocks are built the same way). */
    FusedAdamUpdater(ComputationGraph graph, ComputationGraphUpdater source) {
        super(graph, source.getStateViewArray());
        this.source = source;
    }

    /** How many updates took the fused pass. */
    int fusedSteps;

    /**
     * Whether {@code g} is the graph's flattened gradient (DefaultGradient hands out a reshaped view of it, so not
     * the same object): the same buffer, start and length.
     */
    private boolean isOwnGradient(INDArray g) {
        INDArray own = getFlattenedGradientsView();
        return g != null && g.length() == own.length() && g.elementWiseStride() == 1
                && g.data().addressPointer().address() == own.data().addressPointer().address();
    }

    /** Whether updates run the fused pass (false: DL4J's own update, for the reason in the class comment). */
    boolean fused() {
        return plan() != null;
    }

    /** The updater whose state this one shares. */
    ComputationGraphUpdater source() {
        return source;
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        List<Block> plan = isOwnGradient(gradient.gradient()) ? plan() : null;
        if (plan == null) {
            super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
            return;
        }
        fusedSteps++;
        INDArray g = getFlattenedGradientsView();
        INDArray s = getStateViewArray();
        // each block copied into Java arrays and back (bulk copies), the arithmetic on the arrays: element access to
        // the native buffers through NIO views or indexers was 5-10x slower than this
        FloatPointer grad = new FloatPointer(g.data().addressPointer()).capacity(g.length());
        FloatPointer state = new FloatPointer(s.data().addressPointer()).capacity(s.length());
        float divide = isMiniBatch() ? batchSize : 1f;
        for (Block b : plan) {
            if (b.adam() == null) {
                // a no-op block: BatchNorm's running-statistics step, applied as it is; a frozen layer's (zero)
                // gradient, divided by the minibatch as DL4J divides it
                if (b.divide() && divide != 1f) {
                    int n = scratch(b);
                    grad.position(b.from()).get(gs, 0, n);
                    for (int k = 0; k < n; k++) {
                        gs[k] /= divide;
                    }
                    grad.position(b.from()).put(gs, 0, n);
                }
                continue;
            }
            float lr = (float) b.adam().getLearningRate(iteration, epoch);
            float beta1 = (float) b.adam().getBeta1();
            float beta2 = (float) b.adam().getBeta2();
            float eps = (float) b.adam().getEpsilon();
            float beta1T = (float) Math.pow(beta1, iteration + 1);
            float beta2T = (float) Math.pow(beta2, iteration + 1);
            float alpha = lr * (float) Math.sqrt(1f - beta2T) / (1f - beta1T);
            if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0f) {
                alpha = eps;
            }
            int n = scratch(b);
            grad.position(b.from()).get(gs, 0, n);
            state.position(b.m()).get(ms, 0, n);
            state.position(b.v()).get(vs, 0, n);
            for (int k = 0; k < n; k++) {
                float x = gs[k] / divide;
                float m = beta1 * ms[k] + x * (1f - beta1);
                float v = beta2 * vs[k] + x * x * (1f - beta2);
                ms[k] = m;
                vs[k] = v;
                gs[k] = m * alpha / ((float) Math.sqrt(v) + eps);
            }
            grad.position(b.from()).put(gs, 0, n);
            state.position(b.m()).put(ms, 0, n);
            state.position(b.v()).put(vs, 0, n);
        }
    }

    /** Grows the scratch arrays to {@code b}'s length if needed; returns that length. */
    private int scratch(Block b) {
        int n = b.to() - b.from();
        if (gs.length < n) {
            gs = new float[n];
            ms = new float[n];
            vs = new float[n];
        }
        return n;
    }

    private List<Block> plan;
    private boolean planned;
    private String refusal;

    /** Why the fused pass does not apply (null if it does). */
    String refusal() {
        plan();
        return refusal;
    }

    private List<Block> refuse(String why) {
        refusal = why;
        return null;
    }

    /** The blocks as the fused pass runs them, or null when DL4J's own update must run. */
    private List<Block> plan() {
        if (planned) {
            return plan;
        }
        planned = true;
        if (getFlattenedGradientsView().dataType() != DataType.FLOAT || getStateViewArray() == null
                || getStateViewArray().dataType() != DataType.FLOAT) {
            return plan = refuse("not float32");
        }
        if (getFlattenedGradientsView().offset() != 0 || getStateViewArray().offset() != 0
                || getFlattenedGradientsView().data().offset() != 0 || getStateViewArray().data().offset() != 0) {
            return plan = refuse("the gradient or state array is a view");
        }
        java.util.ArrayList<Block> blocks = new java.util.ArrayList<>();
        for (UpdaterBlock ub : getUpdaterBlocks()) {
            boolean adam = ub.getGradientUpdater() instanceof AdamUpdater;
            if (!adam && !(ub.getGradientUpdater() instanceof NoOpUpdater)) {
                return plan = refuse("updater " + ub.getGradientUpdater().getClass().getSimpleName());
            }
            Boolean divides = null;
            for (UpdaterBlock.ParamState ps : ub.getLayersAndVariablesInBlock()) {
                Trainable t = ps.getLayer();
                var reg = t.getConfig().getRegularizationByParam(ps.getParamName());
                GradientNormalization norm = t.getConfig().getGradientNormalization();
                boolean d = t.updaterDivideByMinibatch(ps.getParamName());
                boolean mixed = divides != null && divides != d;
                divides = d;
                if (reg != null && !reg.isEmpty() || norm != null && norm != GradientNormalization.None
                        || adam && !d || mixed) {
                    return plan = refuse(t.getConfig().getLayerName() + " " + ps.getParamName() + ": regularization "
                            + reg + ", normalization " + norm + ", divided by the minibatch " + d + " in a " + (adam ? "" : "no-op ")
                            + "block");
                }
            }
            if (adam) {
                AdamUpdater a = (AdamUpdater) ub.getGradientUpdater();
                long n = ub.getParamOffsetEnd() - ub.getParamOffsetStart();
                long m = elementsFromState(a.getM());
                long v = elementsFromState(a.getV());
                if (a.getM().length() != n || a.getV().length() != n || !dense(a.getM()) || !dense(a.getV())
                        || m < 0 || v < 0 || m + n > stateLength() || v + n > stateLength()) {
                    return plan = refuse("Adam moments of " + ub.getLayersAndVariablesInBlock().get(0)
                            .getLayer().getConfig().getLayerName() + " are not dense views of the state array (lengths "
                            + a.getM().length() + "/" + a.getV().length() + " of " + n + ", strides "
                            + a.getM().elementWiseStride() + "/" + a.getV().elementWiseStride() + ", at " + m + "/" + v
                            + ")");
                }
                blocks.add(new Block(ub.getParamOffsetStart(), ub.getParamOffsetEnd(), m, v, a.getConfig(), true));
            } else {
                blocks.add(new Block(ub.getParamOffsetStart(), ub.getParamOffsetEnd(), 0, 0, null,
                        Boolean.TRUE.equals(divides)));
            }
        }
        return plan = blocks;
    }

    /** Where {@code a}'s first element is, in elements from the state array's first. */
    private long elementsFromState(INDArray a) {
        // a view's buffer pointer already starts at the view's first element (ND4J makes view buffers)
        long base = getStateViewArray().data().addressPointer().address();
        long at = a.data().addressPointer().address();
        return (at - base) / 4;
    }

    private long stateLength() {
        return getStateViewArray().length();
    }

    private static boolean dense(INDArray a) {
        return a.length() == 0 || a.elementWiseStride() == 1;
    }
}
