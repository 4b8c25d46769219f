package org.cxrworkbook.model;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/** Switches DL4J's oneDNN layer helpers on (see {@code org.nd4j.nativeblas.Nd4jCpu} for the renamed-class shim). */
public final class OneDnnHelpers {

    /** The system property DL4J reads each time a layer creates its helper; "true" (the M2.1 default) disables them. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnnHelpers() {
    }

    /**
     * Allows helper creation unless the user set {@value #DISABLE_PROPERTY} explicitly (so
     * {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} still turns them off for comparisons).
     */
    public static void enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /** Whether new layers will get oneDNN helpers: helpers allowed and DL4J's own oneDNN check passing. */
    public static boolean active() {
        return !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"))
                && BaseMKLDNNHelper.mklDnnEnabled();
    }
}
