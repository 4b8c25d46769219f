package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ClassFrequenciesTest {

    private static final double[][] COURSE = {{1, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}, {1, 0, 1}};

    @Test
    void courseExample() {
        ClassFrequencies f = ClassFrequencies.compute(COURSE);
        assertArrayEquals(new double[] {0.8, 0.4, 0.8}, f.positive(), 1e-12);
        assertArrayEquals(new double[] {0.2, 0.6, 0.2}, f.negative(), 1e-12);
    }

    @Test
    void fromIndArrayEqualsFromMatrix() {
        assertEquals(ClassFrequencies.compute(COURSE), ClassFrequencies.compute(Nd4j.createFromArray(COURSE)));
    }

    @Test
    void weightedContributionsAreEqual() {
        ClassFrequencies f = ClassFrequencies.compute(COURSE);
        assertArrayEquals(new double[] {0.2, 0.6, 0.2}, f.positiveWeights(), 1e-12);
        assertArrayEquals(new double[] {0.8, 0.4, 0.8}, f.negativeWeights(), 1e-12);
        // before: 0.8 vs 0.2 ; after: 0.8*0.2 = 0.16 = 0.2*0.8
        assertArrayEquals(new double[] {0.8, 0.4, 0.8}, f.positiveContribution(false), 1e-12);
        assertArrayEquals(new double[] {0.16, 0.24, 0.16}, f.positiveContribution(true), 1e-12);
        assertArrayEquals(f.positiveContribution(true), f.negativeContribution(true), 1e-12);
    }

    @Test
    void classWithoutPositivesHasDefinedWeights() {
        ClassFrequencies f = ClassFrequencies.compute(new double[][] {{1, 0}, {0, 0}});
        assertArrayEquals(new double[] {0.5, 1.0}, f.positiveWeights(), 0);
        assertArrayEquals(new double[] {0.5, 0.0}, f.negativeWeights(), 0);
        for (double w : f.positiveWeights()) {
            assertTrue(Double.isFinite(w));
        }
    }

    @Test
    void fromRecordsUsesCanonicalOrder() {
        ClassFrequencies f = ClassFrequencies.of(List.of(
                ImageRecord.of("a.png", "1", Set.of(Finding.values()[0])),
                ImageRecord.of("b.png", "2", Set.of())));
        assertEquals(Finding.COUNT, f.classes());
        assertEquals(0.5, f.positive()[0], 0);
        assertEquals(0.0, f.positive()[1], 0);
    }

    @Test
    void badInput() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ClassFrequencies.compute(new double[0][]));
        assertTrue(empty.getMessage().contains("empty"));
        IllegalArgumentException notBinary = assertThrows(IllegalArgumentException.class,
                () -> ClassFrequencies.compute(new double[][] {{1, 0.5}}));
        assertTrue(notBinary.getMessage().contains("[0][1]"), notBinary.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassFrequencies.compute(new double[][] {{1, 0}, {1}}));
    }
}
