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

    /**
     * Compiles {@code span} (the dense layers, transitions and final norm from a block edge to {@code relu}) for
     * inputs of {@code inputShape} (NCHW), after the stem when {@code stem} is given (a whole DenseNet from the
     * images, its span starting at {@code pool1}), else from the edge's activations (a graph cut or frozen there).
     */
    BaseTraining(DenseNetTopology stem, DenseNetTopology.Span span, long[] inputShape) {
        long n = inputShape[0];
        try {
            long[] s = inputShape.clone();
            if (stem != null) {
                ChainTraining c = ChainTraining.stem(n, stem.inChannels(), s[2], s[3], stem.stemFilters(), stem.eps());
                segments.add(c);
                s = c.outputShape();
            }
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

    /** Frees every segment's native memory now. */
    void close() {
        for (TrainingSegment s : segments) {
            s.close();
        }
        segments.clear();
    }
}
