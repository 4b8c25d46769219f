package org.cxrworkbook.notebook;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.SettingSource;
import org.cxrworkbook.train.SettingValues;

/**
 * Run parameters shared by notebooks and the CLI: read from system properties, which
 * {@link #loadEnvironment()} fills from {@code CXR_*} environment variables (so {@code CXR_EPOCHS=1}
 * becomes property {@code EPOCHS}), the d2l-java {@code Integer.getInteger("MAX_EPOCH", 10)} pattern — but strict:
 * a value that is not a whole number, a decimal number, {@code true}/{@code false} or a path is refused with a
 * {@link org.cxrworkbook.train.SettingException} naming the variable, the value and what is allowed, never replaced
 * by the default. The run settings themselves come from {@link #settings()} / {@link RunSettings}.
 */
public final class Params {

    /** Prefix of environment variables copied into system properties. */
    public static final String ENV_PREFIX = "CXR_";

    private Params() {
    }

    /** Copies every {@code CXR_NAME=value} environment variable to system property {@code NAME} unless already set. */
    public static void loadEnvironment() {
        loadEnvironment(System.getenv());
    }

    static void loadEnvironment(Map<String, String> env) {
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                String name = k.substring(ENV_PREFIX.length());
                if (System.getProperty(name) == null) {
                    System.setProperty(name, v);
                }
            }
        });
    }

    /**
     * The parameters as a {@link SettingSource}: system property {@code NAME}, reported as {@code CXR_NAME} when it
     * came from that environment variable, else as system property {@code NAME}.
     */
    public static SettingSource environment() {
        return new SettingSource() {
            @Override
            public Optional<String> value(String name) {
                return Optional.ofNullable(System.getProperty(name));
            }

            @Override
            public String origin(String name) {
                return fromEnvironment(name) ? ENV_PREFIX + name : "system property " + name;
            }

            @Override
            public String advice(String name) {
                return fromEnvironment(name)
                        ? "It comes from the environment variable " + ENV_PREFIX + name
                        + ": correct or unset it, then restart the kernel (or rerun ./cxr)."
                        : "Correct or clear system property " + name + ".";
            }
        };
    }

    private static boolean fromEnvironment(String name) {
        String env = System.getenv(ENV_PREFIX + name);
        return env != null && env.equals(System.getProperty(name));
    }

    /**
     * The classroom settings with every {@code CXR_*} override applied: what a notebook's Parameters cell starts from
     * when it changes nothing (the cell itself writes {@code RunSettings.classroom().toBuilder() … .overrides(
     * Params.environment()).build()} so that a student's changes sit visibly between the two).
     */
    public static RunSettings settings() {
        return RunSettings.classroom().toBuilder().overrides(environment()).build();
    }

    /** Integer parameter with a default; a value that is not a whole number is refused. */
    public static int integer(String name, int def) {
        return SettingValues.whole(environment(), name, Integer.MIN_VALUE, Integer.MAX_VALUE).map(Long::intValue)
                .orElse(def);
    }

    /** Integer parameter in {@code [min, max]} with a default; anything else is refused. */
    public static int integer(String name, int def, int min, int max) {
        return SettingValues.whole(environment(), name, min, max).map(Long::intValue).orElse(def);
    }

    /** Long parameter with a default; a value that is not a whole number is refused. */
    public static long longValue(String name, long def) {
        return SettingValues.whole(environment(), name, Long.MIN_VALUE, Long.MAX_VALUE).orElse(def);
    }

    /** Floating-point parameter with a default; a value that is not a plain finite decimal number is refused. */
    public static double real(String name, double def) {
        return SettingValues.decimal(environment(), name, -Double.MAX_VALUE, true, Double.MAX_VALUE, true).orElse(def);
    }

    /** Floating-point parameter in {@code [min, max]} with a default; anything else is refused. */
    public static double real(String name, double def, double min, double max) {
        return SettingValues.decimal(environment(), name, min, true, max, true).orElse(def);
    }

    /** String parameter with a default (a blank value means the default). */
    public static String string(String name, String def) {
        return SettingValues.string(environment(), name).filter(v -> !v.isEmpty()).orElse(def);
    }

    /** Boolean parameter with a default: {@code true} or {@code false} in any letter case; anything else is refused. */
    public static boolean flag(String name, boolean def) {
        return SettingValues.bool(environment(), name).orElse(def);
    }

    /** Path parameter with a default; an empty or unusable path is refused. */
    public static Path path(String name, String def) {
        return SettingValues.path(environment(), name).orElse(Path.of(def));
    }
}
