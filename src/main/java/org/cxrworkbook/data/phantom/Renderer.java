package org.cxrworkbook.data.phantom;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a phantom film is drawn. {@link #CLASSIC} is the default: the committed pretrained base, the README's
 * measured figures and the recorded runs were made with it, so its output stays byte-identical.
 * {@link #ATTENUATION} models the acquisition (exponential attenuation, heel effect, scatter, detector blur,
 * quantum noise) and draws lesions at clinical sizes via the pixel spacing; it becomes the default together with
 * a rebuild of the pretrained base.
 */
public enum Renderer {
    /** Today's schematic film: analytic shapes, a sigmoid film curve, additive noise (the default). */
    CLASSIC,
    /** Attenuation physics, vessel tree, soft tissue and lesions sized in millimetres. */
    ATTENUATION;

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
