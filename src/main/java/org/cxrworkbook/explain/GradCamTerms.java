package org.cxrworkbook.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Activations A of a target vertex and the gradient dS/dA of one class score, both [n, channels, h, w]. */
public record GradCamTerms(String layer, int classIndex, INDArray activations, INDArray gradient) {

    /** Grad-CAM channel weights of the first example: the spatial mean of the gradient per channel. */
    public double[] meanGradient() {
        return gradient.mean(2, 3).getRow(0).toDoubleVector();
    }
}
