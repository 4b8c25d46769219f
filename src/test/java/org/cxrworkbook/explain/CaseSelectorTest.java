package org.cxrworkbook.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.Finding;
import org.junit.jupiter.api.Test;

class CaseSelectorTest {

    static double[] probs(double mass, double nodule) {
        double[] p = new double[Finding.COUNT];
        p[Finding.MASS.ordinal()] = mass;
        p[Finding.NODULE.ordinal()] = nodule;
        return p;
    }

    @Test
    void picksTruePositivesFalsePositivesAndFalseNegatives() {
        List<CaseSelector.Scored> images = List.of(
                new CaseSelector.Scored("a", Set.of(Finding.MASS), probs(0.9, 0.7)),   // TP mass .9, FP nodule .7
                new CaseSelector.Scored("b", Set.of(Finding.MASS, Finding.NODULE), probs(0.6, 0.2)), // TP .6, FN .2
                new CaseSelector.Scored("c", Set.of(Finding.NODULE), probs(0.55, 0.4))); // FP mass .55, FN nodule .4
        List<CaseSelector.Pick> picks = CaseSelector.select(images, 0.5, 1);
        assertEquals(3, picks.size());
        assertEquals(new CaseSelector.Pick(CaseSelector.Kind.TRUE_POSITIVE, 0, "a", Finding.MASS, 0.9), picks.get(0));
        assertEquals(new CaseSelector.Pick(CaseSelector.Kind.FALSE_POSITIVE, 0, "a", Finding.NODULE, 0.7), picks.get(1));
        assertEquals(new CaseSelector.Pick(CaseSelector.Kind.FALSE_NEGATIVE, 1, "b", Finding.NODULE, 0.2), picks.get(2));
        assertEquals(6, CaseSelector.select(images, 0.5, 5).size(), "2 TP + 2 FP + 2 FN");
    }
}
