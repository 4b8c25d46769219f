package org.cxrworkbook.train;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict reading of setting values written as text (environment variables, system properties): a value that is
 * not a whole number, a plain decimal number, {@code true}/{@code false} or a usable path is refused with a
 * {@link SettingException} naming the variable, the value and what is allowed — never replaced by a default.
 *
 * <p>Surrounding spaces are trimmed ({@code " 5"} is 5: a stray space in a shell or CI file is not a different
 * number). Hand-written instead of {@link Integer#parseInt}/{@link Double#parseDouble} alone because those accept
 * {@code 0x1p-2}, {@code 5f}, {@code NaN} and {@code Infinity}, which no setting means.
 */
public final class SettingValues {

    /** Spellings accepted for booleans, as said in messages and the README. */
    public static final String BOOLEAN_SPELLINGS = "true or false (any letter case)";

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private SettingValues() {
    }

    /** The trimmed value of {@code name}, or empty when unset; a blank value is refused ({@code what} says what is allowed). */
    private static Optional<String> text(SettingSource source, String name, String what) {
        Optional<String> raw = source.value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String v = raw.get().strip();
        if (v.isEmpty()) {
            throw refused(source, name, raw.get(), "is empty: give " + what + ", or unset it for the default");
        }
        return Optional.of(v);
    }

    /** A whole number in {@code [min, max]}, or empty when unset. */
    public static Optional<Long> whole(SettingSource source, String name, long min, long max) {
        boolean any = (min == Long.MIN_VALUE || min == Integer.MIN_VALUE) && (max == Long.MAX_VALUE || max == Integer.MAX_VALUE);
        String what = any ? "a whole number" : max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                ? "a whole number of at least " + min : "a whole number from " + min + " to " + max;
        return text(source, name, what).map(v -> {
            if (!WHOLE.matcher(v).matches()) {
                throw refused(source, name, v, "is not a whole number: give " + what);
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw refused(source, name, v, "is out of range: give " + what);
            }
            if (n < min || n > max) {
                throw refused(source, name, v, "is out of range: give " + what);
            }
            return n;
        });
    }

    /** A finite decimal number in {@code [min, max]} (both ends included unless the flags say otherwise), or empty. */
    public static Optional<Double> decimal(SettingSource source, String name, double min, boolean minIncluded,
                                           double max, boolean maxIncluded) {
        String what = min == -Double.MAX_VALUE && max == Double.MAX_VALUE ? "a decimal number such as 0.5 or 1e-3"
                : "a decimal number in " + (minIncluded ? "[" : "(") + plain(min) + ", " + plain(max)
                + (maxIncluded ? "]" : ")");
        return text(source, name, what).map(v -> {
            if (!DECIMAL.matcher(v).matches()) {
                throw refused(source, name, v, "is not a decimal number: give " + what);
            }
            double d = Double.parseDouble(v);
            boolean low = minIncluded ? d >= min : d > min;
            boolean high = maxIncluded ? d <= max : d < max;
            if (!Double.isFinite(d) || !low || !high) {
                throw refused(source, name, v, "is out of range: give " + what);
            }
            return d;
        });
    }

    /** {@code true} or {@code false} (any letter case), or empty when unset. */
    public static Optional<Boolean> bool(SettingSource source, String name) {
        return text(source, name, BOOLEAN_SPELLINGS).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw refused(source, name, v, "is not a boolean: give " + BOOLEAN_SPELLINGS);
        });
    }

    /** A path (not checked for existence here), or empty when unset; a blank value is refused. */
    public static Optional<Path> path(SettingSource source, String name) {
        return text(source, name, "a file or folder path").map(v -> {
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw refused(source, name, v, "is not a usable path (" + e.getReason() + ")");
            }
        });
    }

    /** Free text, or empty when unset; blank is allowed here (returned as ""). */
    public static Optional<String> string(SettingSource source, String name) {
        return source.value(name).map(String::strip);
    }

    /** One of {@code allowed} (any letter case, returned lower case), or empty when unset. */
    public static Optional<String> choice(SettingSource source, String name, java.util.List<String> allowed) {
        String what = "one of " + String.join(", ", allowed);
        return text(source, name, what).map(v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw refused(source, name, v, "is not allowed: give " + what);
            }
            return lower;
        });
    }

    /** The exception for {@code name}'s value {@code value}: "CXR_EPOCHS=abc is not a whole number: give …". */
    public static SettingException refused(SettingSource source, String name, String value, String why) {
        String origin = source.origin(name);
        String advice = source.advice(name);
        return new SettingException(origin, origin + "=" + quoted(value) + " " + why + "."
                + (advice.isEmpty() ? "" : " " + advice));
    }

    private static String quoted(String v) {
        return v.isEmpty() || !v.strip().equals(v) || v.contains(" ") ? "\"" + v + "\"" : v;
    }

    /** A number as a person writes it: 0.2, 1e-3, 128 (no trailing ".0"). */
    public static String plain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        if (Math.abs(d) < 1e-2) {
            String s = String.format(Locale.ROOT, "%.0e", d);
            if (Double.parseDouble(s) == d) {
                return s.replace("e-0", "e-");
            }
        }
        return Double.toString(d);
    }
}
