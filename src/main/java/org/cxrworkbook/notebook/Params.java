package org.cxrworkbook.notebook;

import java.nio.file.Path;
import java.util.Map;

/**
 * Run parameters shared by notebooks and the CLI: read from system properties, which
 * {@link #loadEnvironment()} fills from {@code CXR_*} environment variables (so {@code CXR_EPOCHS=1}
 * becomes property {@code EPOCHS}), the d2l-java {@code Integer.getInteger("MAX_EPOCH", 10)} pattern.
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

    /** Integer parameter with a default. */
    public static int integer(String name, int def) {
        return Integer.getInteger(name, def);
    }

    /** Long parameter with a default. */
    public static long longValue(String name, long def) {
        return Long.getLong(name, def);
    }

    /** Floating-point parameter with a default. */
    public static double real(String name, double def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? def : Double.parseDouble(v.trim());
    }

    /** String parameter with a default. */
    public static String string(String name, String def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? def : v;
    }

    /** Boolean parameter with a default ("true"/"false"). */
    public static boolean flag(String name, boolean def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? def : Boolean.parseBoolean(v.trim());
    }

    /** Path parameter with a default. */
    public static Path path(String name, String def) {
        return Path.of(string(name, def));
    }
}
