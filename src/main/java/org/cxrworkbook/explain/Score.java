package org.cxrworkbook.explain;

/** Which class score Grad-CAM differentiates: the output layer's pre-activation (logit) or its activation (probability). */
public enum Score {
    /** z = W·x + b of the output layer (what Grad-CAM's paper uses). */
    LOGIT,
    /** The output layer's activation of z, e.g. sigmoid(z) (what the course's Keras code differentiates). */
    PROBABILITY
}
