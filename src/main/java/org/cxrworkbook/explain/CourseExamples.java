package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cxrworkbook.data.CourseLayout;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.eval.Auc;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Grad-CAM the way the course's notebook shows it: on the course's four example films
 * ({@link CourseLayout#GRADCAM_EXAMPLES}) for the findings with the highest test AUC, one heatmap per finding with the
 * model's probability. On a dataset without those films (e.g. a phantom in the NIH layout) the result is empty and
 * says so.
 */
public final class CourseExamples {

    /** One example film and the heatmaps of the chosen findings, in the order of {@link Result#findings()}. */
    public record Film(ExplainSample sample, List<FindingHeatmap> heatmaps) {
    }

    /**
     * The films shown (course order), the course's example names not in the test split, the chosen findings (highest
     * test AUC first) with their AUC, and how many test films that AUC was measured on.
     */
    public record Result(List<Film> films, List<String> missing, List<Finding> findings, List<Double> testAuc,
                         int testFilms) {

        /** True when none of the course's example films is in the test split: nothing to show. */
        public boolean isEmpty() {
            return films.isEmpty();
        }

        /**
         * What the figure shows, written from its numbers: the findings and their AUC, then per film its true labels
         * and the most probable of the shown findings, and how the probabilities of findings on the film compare with
         * those of findings not on it.
         */
        public String summary() {
            if (films.isEmpty()) {
                return "None of the course's example films (" + String.join(", ", CourseLayout.GRADCAM_EXAMPLES)
                        + ") is in this test split, so there is nothing to show here: they are in the course's test.csv.";
            }
            StringBuilder sb = new StringBuilder();
            List<String> aucs = new ArrayList<>();
            for (int i = 0; i < findings.size(); i++) {
                aucs.add(String.format(Locale.ROOT, "%s %.3f", findings.get(i).label(), testAuc.get(i)));
            }
            sb.append(String.format(Locale.ROOT, "Grad-CAM on %d of the course's %d example films for the %d findings "
                            + "with the highest test AUC here (%d test films): %s.", films.size(),
                    CourseLayout.GRADCAM_EXAMPLES.size(), findings.size(), testFilms, String.join(", ", aucs)));
            if (!missing.isEmpty()) {
                sb.append(" Not in this test split: ").append(String.join(", ", missing)).append('.');
            }
            double onSum = 0;
            double offSum = 0;
            int on = 0;
            int off = 0;
            for (Film f : films) {
                FindingHeatmap top = f.heatmaps().stream().max(Comparator.comparingDouble(FindingHeatmap::probability))
                        .orElseThrow();
                Set<Finding> truth = f.sample().findings();
                sb.append(String.format(Locale.ROOT, "%n%s (true: %s): of these findings the model rates %s highest, "
                                + "p = %.3f, %s on the film.", f.sample().imageIndex(), labels(truth),
                        top.finding().label(), top.probability(), truth.contains(top.finding()) ? "which is" : "which is NOT"));
                for (FindingHeatmap h : f.heatmaps()) {
                    if (truth.contains(h.finding())) {
                        onSum += h.probability();
                        on++;
                    } else {
                        offSum += h.probability();
                        off++;
                    }
                }
            }
            sb.append(String.format(Locale.ROOT, "%nOf the %d film-finding pairs shown, %d %s on their film", on + off, on,
                    on == 1 ? "is" : "are"));
            if (on > 0 && off > 0) {
                sb.append(String.format(Locale.ROOT, ": mean p %.3f for those against %.3f for the %d that are not "
                        + "(%s).", onSum / on, offSum / off, off, onSum / on > offSum / off ? "higher, as it should be"
                        : "not higher: on these films the model does not separate them"));
            } else {
                sb.append(on == 0 ? ": the figure shows only findings the films do not have." : ".");
            }
            return sb.toString();
        }

        private static String labels(Set<Finding> findings) {
            return findings.isEmpty() ? Finding.NO_FINDING
                    : Finding.all().stream().filter(findings::contains).map(Finding::label).collect(Collectors.joining(", "));
        }
    }

    private CourseExamples() {
    }

    /**
     * The course's figure for {@code data}'s test split: the example films found there (preprocessed as the test
     * split), the test split predicted to rank the findings by AUC, and {@code method}'s heatmaps of the top
     * {@code k} findings on each film. Nothing is predicted when no example film is in the test split.
     */
    public static Result run(ComputationGraph model, TrainingData data, HeatmapMethod method, int k) {
        List<ImageRecord> test = data.splits().test();
        Map<String, ImageRecord> byName = test.stream().collect(Collectors.toMap(ImageRecord::imageIndex,
                Function.identity(), (a, b) -> a));
        List<ImageRecord> films = CourseLayout.GRADCAM_EXAMPLES.stream().filter(byName::containsKey).map(byName::get).toList();
        List<String> missing = CourseLayout.GRADCAM_EXAMPLES.stream().filter(n -> !byName.containsKey(n)).toList();
        if (films.isEmpty()) {
            return new Result(List.of(), missing, List.of(), List.of(), test.size());
        }
        Predictions predictions;
        CxrDataSetIterator it = data.evalIterator(test, "test");
        try {
            predictions = Predictor.predict(model, it, test);
        } finally {
            it.shutdown();
        }
        List<ExplainSample> samples;
        CxrDataSetIterator filmIt = data.evalIterator(films, "test");
        try {
            samples = ExplainSamples.fromIterator(filmIt, films, data.dataset());
        } finally {
            filmIt.shutdown();
        }
        return of(model, samples, predictions, missing, method, k);
    }

    /**
     * The figure's content from given samples and test predictions: the {@code k} findings with the highest test AUC
     * (findings without an AUC, i.e. one label value in the test split, are left out; ties keep the canonical order),
     * each film's probabilities and heatmaps of those findings.
     */
    public static Result of(ComputationGraph model, List<ExplainSample> films, Predictions test, List<String> missing,
                            HeatmapMethod method, int k) {
        if (k < 1 || k > Finding.COUNT) {
            throw new IllegalArgumentException("findings to show must be 1.." + Finding.COUNT + ", got " + k);
        }
        List<Finding> ranked = new ArrayList<>();
        List<Double> auc = new ArrayList<>();
        Finding.all().stream()
                .map(f -> Map.entry(f, Auc.auc(test.labels(f), test.probabilities(f))))
                .filter(e -> Double.isFinite(e.getValue()))
                .sorted(Comparator.comparingDouble((Map.Entry<Finding, Double> e) -> -e.getValue()))
                .limit(k)
                .forEach(e -> {
                    ranked.add(e.getKey());
                    auc.add(e.getValue());
                });
        if (ranked.isEmpty()) {
            throw new IllegalArgumentException("no finding has a test AUC (every finding has one label value in the "
                    + test.size() + " test films): cannot choose the findings to show");
        }
        int[] classes = ranked.stream().mapToInt(Finding::ordinal).toArray();
        List<Film> out = new ArrayList<>();
        for (ExplainSample s : films) {
            double[] p = Explanations.probabilities(model, s.input());
            List<float[][]> maps = method.heatmaps(model, s.input(), classes);
            List<FindingHeatmap> heatmaps = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                heatmaps.add(new FindingHeatmap(ranked.get(i), p[classes[i]], maps.get(i)));
            }
            out.add(new Film(s, heatmaps));
        }
        return new Result(out, List.copyOf(missing), ranked, auc, test.size());
    }
}
