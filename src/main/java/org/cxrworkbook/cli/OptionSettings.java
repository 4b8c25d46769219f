package org.cxrworkbook.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.SettingSource;

/**
 * A command's run-setting options as a {@link SettingSource}: each value is reported under its option name
 * ({@code --size}), so a refused setting names the option the user typed.
 */
final class OptionSettings implements SettingSource {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    /** Adds {@code option}'s value (null = not set) as setting {@code variable}, e.g. ("IMAGE_SIZE", "--size", 64). */
    OptionSettings put(String variable, String option, Object value) {
        if (value != null) {
            values.put(variable, value instanceof Double d ? Double.toString(d) : value.toString());
            options.put(variable, option);
        }
        return this;
    }

    /** The classroom settings with these options applied, checked. */
    RunSettings settings() {
        return RunSettings.classroom().toBuilder().overrides(this).build();
    }

    @Override
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    @Override
    public String origin(String name) {
        return options.getOrDefault(name, name);
    }
}
