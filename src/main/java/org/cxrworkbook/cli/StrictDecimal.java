package org.cxrworkbook.cli;

import java.util.Map;
import org.cxrworkbook.train.SettingException;
import org.cxrworkbook.train.SettingSource;
import org.cxrworkbook.train.SettingValues;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converter of decimal options that refuses what {@link Double#valueOf} would accept but nobody means —
 * {@code 0x1p-2}, {@code 5f}, {@code NaN}, {@code Infinity} — as a {@code CXR_*} variable's value would be.
 */
public final class StrictDecimal implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        try {
            return SettingValues.decimal(SettingSource.of(Map.of("v", value), ""), "v", -Double.MAX_VALUE, true,
                    Double.MAX_VALUE, true).orElseThrow();
        } catch (SettingException e) {
            throw new TypeConversionException("'" + value + "' " + e.getMessage().substring(e.getMessage().indexOf(' ') + 1));
        }
    }
}
