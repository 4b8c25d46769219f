package org.cxrworkbook.data.phantom;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a phantom film is drawn. {@link #ATTENUATION}, the default, models the acquisition (exponential attenuation,
 * heel effect, scatter, detector blur, quantum noise) and draws lesions at clinical sizes via the pixel spacing; the
 * committed pretrained base, the README's measured figures and the recorded runs are made with it. {@link #CLASSIC}
 * is the schematic film of earlier releases, kept byte-identical so older sets and results can be reproduced.
 */
public enum Renderer {
    /** The schematic film of earlier releases: analytic shapes, a sigmoid film curve, additive noise. */
    CLASSIC,
    /** Attenuation physics, vessel tree, soft tissue and lesions sized in millimetres (the default). */
    ATTENUATION;

    /** The renderer used when none is named. */
    public static final Renderer DEFAULT = ATTENUATION;

    /** The option value, e.g. {@code attenuation}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an option value (case-insensitive); a clear error names the allowed values. */
    public static Renderer parse(String value) {
        for (Renderer r : values()) {
            if (r.optionName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("renderer must be one of " + allowed() + ", not '" + value + "'");
    }

    /** The allowed option values, comma-separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(Renderer::optionName).collect(Collectors.joining(", "));
    }
}
