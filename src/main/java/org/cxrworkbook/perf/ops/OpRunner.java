package org.cxrworkbook.perf.ops;

import java.util.List;
import java.util.Map;

/** One implementation (DL4J or oneDNN) of one {@link OpCase}: loaded with data once, then timed forward/backward. */
interface OpRunner {

    /** Copies inputs, parameters and the output gradient into the implementation's own arrays (not timed). */
    void load(OpData data);

    /** The forward pass in training mode. */
    void forward();

    /** The backward pass (gradients of inputs and parameters), after {@link #forward()}. */
    void backward();

    /** {@link #load}, forward, backward, and the results in plain NCHW / OIHW order for comparison. */
    OpResult check(OpData data);

    /** What ran, e.g. oneDNN's implementation names and memory formats. */
    String describe();

    /** Inputs (NCHW), parameters as "vertex/param" with DL4J's parameter names ("conv/W", "bn/gamma", …) and the gradient of the output. */
    record OpData(List<float[]> inputs, Map<String, float[]> params, float[] outputGradient) {
    }

    /** Output, gradients of the inputs (NCHW) and of the parameters by name. */
    record OpResult(float[] output, List<float[]> inputGradients, Map<String, float[]> paramGradients) {
    }
}
