package org.cxrworkbook.model.engine;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A whole DenseNet base (input → {@code relu}, the last BatchNorm+ReLU), or its stretch from a block edge, trained
 * through oneDNN for one input shape:
 * the stem, the dense blocks ({@link DenseBlockTraining}, one concatenation buffer each) and the transitions and final
 * norm ({@link ChainTraining}), each handing the next an NCHW array. {@link #backward} writes every base parameter's
 * gradient into the graph's gradient view; what follows {@code relu} (the head and the loss) stays DL4J's.
 */
final class BaseTraining {

    private final List<TrainingSegment> segments = new ArrayList<>();
    private final long[] inputShape;

    BaseTraining(DenseNetTopology topo, long[] inputShape) {
        this.inputShape = inputShape.clone();
        long n = inputShape[0];
        try {
            ChainTraining stem = ChainTraining.stem(n, topo.inChannels(), inputShape[2], inputShape[3],
                    topo.stemFilters(), topo.eps());
            segments.add(stem);
            long[] s = stem.outputShape();
            int blocks = topo.blockLayers().length;
            for (int b = 0; b < blocks; b++) {
                String stage = "conv" + (b + 2);
                int c0 = (int) s[1];
                DenseBlockTraining block = new DenseBlockTraining(stage, topo.blockLayers()[b], n, c0, s[2], s[3],
                        topo.bottleneck(), topo.growth(), topo.eps());
                segments.add(block);
                s = block.outputShape();
                if (b < blocks - 1) {
                    ChainTraining t = ChainTraining.transition("pool" + (b + 2), n, (int) s[1], s[2], s[3],
                            topo.transitions()[b], topo.eps());
                    segments.add(t);
                    s = t.outputShape();
                }
            }
            segments.add(ChainTraining.finalNorm(n, (int) s[1], s[2], s[3], topo.eps()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The stretch from a block edge to {@code relu} ({@code span}), for edge activations of {@code inputShape}
     * (NCHW): a graph whose input is that edge (stage 2's trainable top).
     */
    BaseTraining(DenseNetTopology.Span span, long[] inputShape) {
        this.inputShape = inputShape.clone();
        long[] s = inputShape.clone();
        long n = s[0];
        try {
            for (DenseNetTopology.Piece p : span.pieces()) {
                TrainingSegment seg;
                if (p instanceof DenseNetTopology.Layers l) {
                    seg = new DenseBlockTraining(l.stage(), l.first(), l.count(), n, (int) s[1], s[2], s[3],
                            span.bottleneck(), span.growth(), span.eps());
                } else if (p instanceof DenseNetTopology.Transition t) {
                    seg = ChainTraining.transition(t.prefix(), n, (int) s[1], s[2], s[3], t.out(), span.eps());
                } else {
                    seg = ChainTraining.finalNorm(n, (int) s[1], s[2], s[3], span.eps());
                }
                segments.add(seg);
                s = seg.outputShape();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The output of {@code relu} (NCHW) for images {@code x}, training mode; activations kept for backward. */
    INDArray forward(ComputationGraph graph, INDArray x) {
        INDArray a = x;
        for (TrainingSegment s : segments) {
            a = s.forward(graph, a);
        }
        return a;
    }

    /** Backward from the gradient of {@code relu}'s output: every base gradient into the graph's gradient view. */
    void backward(INDArray gradOut) {
        INDArray g = gradOut;
        for (int i = segments.size() - 1; i >= 0; i--) {
            g = segments.get(i).backward(g);
        }
    }

    /** Whether the last step met a NaN or infinity in any BatchNorm's batch statistics. */
    boolean sawNonFinite() {
        for (TrainingSegment s : segments) {
            if (s.sawNonFinite()) {
                return true;
            }
        }
        return false;
    }

    long[] inputShape() {
        return inputShape.clone();
    }

    /** Frees every segment's native memory now. */
    void close() {
        for (TrainingSegment s : segments) {
            s.close();
        }
        segments.clear();
    }
}
