package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class DecimalsTest {

    @Test
    void significantDigitsInPlainNotation() {
        assertEquals("129.2", Decimals.sig(129.21632, 4));
        assertEquals("0.0001715", Decimals.sig(0.000171498, 4));
        assertEquals("-0.4956203", Decimals.sig(-0.4956203222060383, 7));
        assertEquals("0.8945", Decimals.sig(0.89453125, 4));
        assertEquals("1200", Decimals.sig(1199.7, 3));
        assertEquals("0.5", Decimals.sig(0.5, 4));
        assertEquals("0", Decimals.sig(-0.0, 4));
        assertEquals("NaN", Decimals.sig(Double.NaN, 4));
        assertEquals("[72.71, 0.1055]", Decimals.sig(new float[] {72.70897f, 0.10546875f}, 4));
    }

    @Test
    void tablesPrintFixedDecimalsAndKeepTheirValues() {
        Table t = Decimals.table(Table.create("t", DoubleColumn.create("p", 0.9778645833333334, Double.NaN),
                FloatColumn.create("f", new float[] {1.7445072f, 2f}), IntColumn.create("n", 3, 4)), 3);
        String text = t.print();
        assertEquals(true, text.contains("0.978"), text);
        assertEquals(true, text.contains("1.745"), text);
        assertEquals(true, text.contains("2.000"), text);
        assertEquals(false, text.contains("0.97786"), text);
        assertEquals(0.9778645833333334, t.doubleColumn("p").get(0), 0.0);
    }
}
