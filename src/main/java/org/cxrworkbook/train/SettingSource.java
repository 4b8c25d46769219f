package org.cxrworkbook.train;

import java.util.Map;
import java.util.Optional;

/**
 * Raw text values of named settings ({@code IMAGE_SIZE}, {@code EPOCHS}, …) and where each came from, so that a
 * refusal can name what the user actually set: {@code CXR_IMAGE_SIZE} for an environment variable, a system
 * property's name, a CLI option.
 */
public interface SettingSource {

    /** The raw value of {@code name}, if set. */
    Optional<String> value(String name);

    /** What the user set to give {@code name} its value, e.g. {@code CXR_IMAGE_SIZE}. */
    String origin(String name);

    /** What to do about a refused value, appended to the message (e.g. "unset it and restart the kernel"); "" by default. */
    default String advice(String name) {
        return "";
    }

    /** Values from a map of names to text, each reported as {@code prefix + name} (e.g. prefix {@code CXR_}). */
    static SettingSource of(Map<String, String> values, String prefix) {
        Map<String, String> copy = Map.copyOf(values);
        return new SettingSource() {
            @Override
            public Optional<String> value(String name) {
                return Optional.ofNullable(copy.get(name));
            }

            @Override
            public String origin(String name) {
                return prefix + name;
            }
        };
    }
}
