package org.cxrworkbook.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void numbersKeepThreeSignificantDigitsAndNoBinaryNoise() {
        assertEquals("0.705", Charts.number(0.7050000000000001));
        assertEquals("0.7", Charts.number(0.7000000000000002));
        assertEquals("0.1", Charts.number(0.1 + 0.2 - 0.2));
        assertEquals("12", Charts.number(12.0));
        assertEquals("0.333", Charts.number(1.0 / 3));
        assertEquals("1,250", Charts.number(1250.4));
        assertEquals("-2.5", Charts.number(-2.5));
        assertEquals("0", Charts.number(0));
        assertEquals("2.5e-5", Charts.number(0.000025));
    }

    @Test
    void paletteGivesFourteenDistinctColourAndLineCombinations() {
        java.util.Set<String> styles = new java.util.HashSet<>();
        for (int i = 0; i < Palette.SIZE; i++) {
            styles.add(Palette.color(i).getRGB() + "/" + Palette.dashed(i));
        }
        assertEquals(14, styles.size());
        // the pairs the issue found indistinguishable: Nodule/Mass (10, 9), Fibrosis/Pneumothorax (6, 13)
        assertNotEquals(style(9), style(10));
        assertNotEquals(style(6), style(13));
    }

    static String style(int i) {
        return Palette.color(i).getRGB() + "/" + Palette.dashed(i);
    }
}
