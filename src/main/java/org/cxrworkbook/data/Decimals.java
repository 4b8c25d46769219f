package org.cxrworkbook.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Numbers as a reader wants them in notebook output: a few significant digits or fixed decimals, never the 16–17
 * digits of {@code Double.toString}. The values themselves stay exact; only their text is rounded. In the lowest
 * package so every stage's {@code toString()} and tables can use it.
 */
public final class Decimals {

    private Decimals() {
    }

    /** {@code value} rounded to {@code digits} significant digits, plain notation, trailing zeros dropped (NaN as "NaN"). */
    public static String sig(double value, int digits) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        String s = rounded.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** The values as {@code [a, b, …]}, each to {@code digits} significant digits. */
    public static String sig(double[] values, int digits) {
        return DoubleStream.of(values).mapToObj(v -> sig(v, digits)).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The values as {@code [a, b, …]}, each to {@code digits} significant digits. */
    public static String sig(float[] values, int digits) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return sig(d, digits);
    }

    /**
     * Shows every double and float column of {@code table} with {@code decimals} fixed decimals (missing values as
     * an empty cell) and returns the same table. The stored values are unchanged.
     */
    public static Table table(Table table, int decimals) {
        DecimalFormat format = new DecimalFormat("0." + "0".repeat(Math.max(1, decimals)),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        if (decimals == 0) {
            format = new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        }
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        for (var column : table.columns()) {
            if (column instanceof DoubleColumn d) {
                d.setPrintFormatter(new NumberColumnFormatter(format, ""));
            } else if (column instanceof FloatColumn f) {
                f.setPrintFormatter(new NumberColumnFormatter(format, ""));
            }
        }
        return table;
    }
}
