package org.cxrworkbook.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.Trainer;
import org.cxrworkbook.train.TrainerConfig;
import org.cxrworkbook.train.TrainingData;
import org.cxrworkbook.train.TrainingHistory;
import org.cxrworkbook.train.TrainingRecipe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Notebook 06's comparison: trained arms (the small DenseNet from scratch, DenseNet121 head only, DenseNet121 head +
 * top block) on the same test split, each with its mean test AUC, a patient-bootstrap confidence interval and the
 * seconds each stage took; a table and sentences written from the numbers.
 */
public final class TransferComparison {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TransferComparison() {
    }

    /** One arm: its test predictions, mean AUC with 95 % patient-bootstrap interval, seconds per stage, trainable parameters. */
    public record Arm(String name, Predictions test, double meanAuc, Interval ci, Map<String, Double> seconds,
                      long trainableParams) {
        /** Seconds of all its stages. */
        public double totalSeconds() {
            return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** An arm from test probabilities (rows in {@code records} order) with a {@code replicates}-replicate patient bootstrap. */
    public static Arm arm(String name, List<ImageRecord> records, INDArray probabilities, Map<String, Double> seconds,
                          long trainableParams, int replicates, long seed) {
        return arm(name, predictions(records, probabilities), seconds, trainableParams, replicates, seed);
    }

    /** Predictions of {@code records} from probabilities [records, 14] in the same order. */
    static Predictions predictions(List<ImageRecord> records, INDArray probabilities) {
        double[][] p = new double[records.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities.getRow(i).toDoubleVector();
        }
        int[][] y = records.stream().map(TransferComparison::labels).toArray(int[][]::new);
        return Predictions.of(records.stream().map(ImageRecord::imageIndex).toList(),
                records.stream().map(ImageRecord::patientId).toList(), y, p);
    }

    static Arm arm(String name, Predictions pred, Map<String, Double> seconds, long trainable, int replicates,
                           long seed) {
        Interval ci = replicates > 0 ? new Bootstrap(pred, Resampling.PATIENT).run(replicates, seed, 0.95).mean()
                : Interval.UNDEFINED;
        return new Arm(name, pred, meanAuc(pred), ci, Map.copyOf(new LinkedHashMap<>(seconds)), trainable);
    }

    /**
     * The DenseNet121 arms of a staged run: head only (feature cache + stage 1) and, when given, head + top block
     * (feature cache + stage 1 + stage 2), both on the cached test split.
     */
    public static List<Arm> stagedArms(StagedTraining.Features f, StagedTraining.StageResult stage1,
                                       StagedTraining.StageResult stage2, int replicates) {
        if (f == null || stage1 == null) {
            throw new IllegalArgumentException((f == null ? "features" : "stage1") + " is null: run the cells of steps 1 "
                    + "to 4 again — rerunning the Parameters cell resets the variables that depend on it");
        }
        String model = f.plan().small() ? "small DenseNet" : "DenseNet121";
        long seed = f.plan().data().seed();
        List<ImageRecord> test = f.splits().test();
        List<Arm> arms = new ArrayList<>();
        Map<String, Double> s1 = new LinkedHashMap<>();
        s1.put("features", f.seconds());
        s1.put("stage 1", stage1.seconds());
        arms.add(arm(model + " head only", test, stage1.testProbabilities(), s1, stage1.trainableParams(), replicates, seed));
        if (stage2 != null) {
            Map<String, Double> s2 = new LinkedHashMap<>(s1);
            s2.put("stage 2", stage2.seconds());
            arms.add(arm(model + " head + top block", test, stage2.testProbabilities(), s2, stage2.trainableParams(),
                    replicates, seed));
        }
        return arms;
    }

    /**
     * Epochs of the small-DenseNet-from-scratch arm (at most; never more than the run's stage-1 epochs, so
     * {@code EPOCHS=1} shrinks it too), with the run's early stopping: the recipe the workbook's default used before
     * DenseNet121 (15 epochs, Adam 1e-3).
     */
    public static final int SMALL_SCRATCH_EPOCHS = 15;
    /** Adam learning rate of the small-DenseNet-from-scratch arm. */
    public static final double SMALL_SCRATCH_LEARNING_RATE = 1e-3;

    /** The small arm's epochs under these settings. */
    public static int smallScratchEpochs(RunSettings settings) {
        return Math.min(SMALL_SCRATCH_EPOCHS, settings.stage1Epochs());
    }

    /**
     * The small DenseNet trained from random weights on the images of the same split (single-stage trainer, Adam 1e-3,
     * at most {@link #SMALL_SCRATCH_EPOCHS} epochs; notebook 06 calls it through {@link ScratchBaseline}), evaluated on the test split, with {@code settings.bootstrap()}
     * patient-bootstrap replicates.
     */
    public static Arm smallFromScratch(RunSettings settings) {
        long t0 = System.nanoTime();
        TrainingRecipe.Options o = TrainingRecipe.options().dataDir(settings.dataDir()).workDir(settings.workDir())
                .imageSize(settings.imageSize()).channels(settings.channels()).batchSize(settings.batchSize())
                .maxImages(settings.maxImages()).valFraction(settings.valFraction()).seed(settings.seed())
                .maxBatches(settings.maxBatches()).earlyStoppingPatience(settings.earlyStoppingPatience())
                .reduceLrPatience(settings.reduceLrPatience()).small(true).fromScratch(true)
                .epochs(smallScratchEpochs(settings)).learningRate(SMALL_SCRATCH_LEARNING_RATE).progress(false);
        TrainingRecipe recipe = TrainingRecipe.of(o);
        TrainingData data = recipe.loadData();
        ComputationGraph g = recipe.prepare(data).graph();
        TrainerConfig tc = recipe.trainerConfig(data).toBuilder().checkpointDir(null).build();
        TrainingHistory h = Trainer.fit(g, data.train(), data.val(), tc);
        double train = (System.nanoTime() - t0) / 1e9;
        Predictions p = Predictor.predict(g, data.test(), data.splits().test());
        return arm("small DenseNet from scratch", p, Map.of("training (" + h.size() + " epochs)", train), g.numParams(),
                settings.bootstrap(), settings.seed());
    }

    /** Mean AUC over the findings defined on the split. */
    public static double meanAuc(Predictions p) {
        return Finding.all().stream().mapToDouble(f -> Auc.auc(p.labels(f), p.probabilities(f)))
                .filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** One row per arm: mean test AUC, 95 % CI, trainable parameters, seconds per stage and in all. */
    public static Table table(List<Arm> arms) {
        StringColumn name = StringColumn.create("arm");
        DoubleColumn auc = DoubleColumn.create("test mean AUC");
        StringColumn ci = StringColumn.create("95 % CI (patients)");
        LongColumn params = LongColumn.create("trainable parameters");
        StringColumn stages = StringColumn.create("seconds per stage");
        DoubleColumn total = DoubleColumn.create("seconds");
        for (Arm a : arms) {
            name.append(a.name());
            auc.append(round(a.meanAuc()));
            ci.append(a.ci().defined() ? String.format(Locale.ROOT, "%.3f–%.3f", a.ci().low(), a.ci().high()) : "–");
            params.append(a.trainableParams());
            List<String> parts = new ArrayList<>();
            a.seconds().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())));
            stages.append(String.join(", ", parts));
            total.append(Math.round(a.totalSeconds() * 10) / 10.0);
        }
        return Table.create("Test split: " + (arms.isEmpty() ? 0 : arms.get(0).test().size()) + " images", name, auc, ci,
                params, stages, total);
    }

    /** Sentences about the table, every number taken from the arms. */
    public static String summary(List<Arm> arms) {
        if (arms.isEmpty()) {
            return "No arm was trained.";
        }
        Arm best = arms.stream().max(java.util.Comparator.comparingDouble(Arm::meanAuc)).get();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "On the same %d test images (%d patients), the highest mean AUC is %s's %.3f (%s).",
                best.test().size(), best.test().rowsByPatient().size(), best.name(), best.meanAuc(), ci(best)));
        for (Arm a : arms) {
            if (a == best) {
                continue;
            }
            boolean overlap = a.ci().defined() && best.ci().defined() && a.ci().high() >= best.ci().low()
                    && best.ci().high() >= a.ci().low();
            boolean both = a.ci().defined() && best.ci().defined();
            sb.append(String.format(Locale.ROOT, " %s reaches %.3f (%+.3f) in %.0f s%s.", a.name(), a.meanAuc(),
                    a.meanAuc() - best.meanAuc(), a.totalSeconds(),
                    !both ? "; without both intervals this test split cannot say whether the difference is real"
                            : overlap ? "; the two intervals overlap, so this test split cannot tell them apart for certain"
                            : "; the intervals do not overlap"));
        }
        return sb.toString();
    }

    private static String ci(Arm a) {
        return a.ci().defined() ? String.format(Locale.ROOT, "95 %% CI %.3f–%.3f over patients", a.ci().low(), a.ci().high())
                : "no bootstrap interval: too few test patients for every finding to have both labels in each replicate";
    }

    /** Writes the arms (AUC, CI, seconds, parameters) as JSON, e.g. {@code WORK/metrics/transfer-comparison.json}. */
    public static Path save(List<Arm> arms, Path file) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Arm a : arms) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("arm", a.name());
            m.put("test_images", a.test().size());
            m.put("test_mean_auc", a.meanAuc());
            m.put("ci95_low", a.ci().defined() ? a.ci().low() : null);
            m.put("ci95_high", a.ci().defined() ? a.ci().high() : null);
            m.put("trainable_params", a.trainableParams());
            m.put("seconds", a.seconds());
            rows.add(m);
        }
        return org.cxrworkbook.data.AtomicFiles.write(file, out -> JSON.writeValue(out, rows));
    }

    private static int[] labels(ImageRecord r) {
        float[] y = r.multiHot();
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = Math.round(y[i]);
        }
        return out;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : Double.NaN;
    }
}
