package org.cxrworkbook.plot;

import java.util.ArrayList;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.train.ClassFrequencies;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Bar charts of class frequencies and of positive vs negative loss contributions per finding. */
public final class FrequencyPlots {

    private FrequencyPlots() {
    }

    /** Positive and negative frequency per class (names default to the 14 findings). */
    public static CategoryChart frequencies(ClassFrequencies f) {
        CategoryChart chart = bars("Class frequencies", "frequency", names(f), f.positive(), f.negative());
        chart.getStyler().setYAxisMax(1.0);
        return chart;
    }

    /**
     * Positive vs negative contribution to the loss per class: freq_pos·w_pos and freq_neg·w_neg (weights 1
     * when {@code weighted} is false). With w_pos = freq_neg, w_neg = freq_pos the two bars are equal.
     */
    public static CategoryChart contributions(ClassFrequencies f, boolean weighted) {
        return bars(weighted ? "Loss contribution, weighted (w_pos = freq_neg, w_neg = freq_pos)" : "Loss contribution, unweighted",
                "contribution", names(f), f.positiveContribution(weighted), f.negativeContribution(weighted));
    }

    private static CategoryChart bars(String title, String yTitle, List<String> names, double[] pos, double[] neg) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("positive", names, toList(pos));
        chart.addSeries("negative", names, toList(neg));
        return Charts.tidy(chart);
    }

    private static List<String> names(ClassFrequencies f) {
        if (f.classes() == Finding.COUNT) {
            return Finding.labels();
        }
        List<String> n = new ArrayList<>();
        for (int i = 0; i < f.classes(); i++) {
            n.add("class " + i);
        }
        return n;
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>(v.length);
        for (double d : v) {
            l.add(d);
        }
        return l;
    }
}
