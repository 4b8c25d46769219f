package org.cxrworkbook.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.cxrworkbook.data.Finding;
import org.deeplearning4j.nn.graph.ComputationGraph;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The workbook's substitute for ImageNet weights, and the experiment that justifies it: a DenseNet pretrained on
 * one phantom population (the source) is fine-tuned on another site with few labels, and compared with the same
 * network trained from scratch on the same images with the same budget (epochs, batches, learning rate, seed).
 * Repeated over several seeds (each seed draws its own split, labelled subset and initialisation; both arms of a
 * seed share them), so the gain is a paired difference.
 */
public final class PhantomTransferExperiment {

    /** Budget of each arm: image size, model variant, batch, learning rate, epochs and labelled training images. */
    public record Settings(int imageSize, boolean small, int batchSize, double learningRate, int epochs,
                           long labelledImages) {
        public Settings {
            if (epochs < 1 || labelledImages < 1 || batchSize < 1 || imageSize < 16) {
                throw new IllegalArgumentException("need epochs ≥ 1, labelled images ≥ 1, batch ≥ 1, image size ≥ 16");
            }
        }
    }

    /** One trained arm: test AUC per finding (NaN where undefined) and its training history. */
    public record Arm(double[] testAucs, TrainingHistory history) {
        /** Mean test AUC over the findings defined in this arm. */
        public double testMeanAuc() {
            return Validation.meanDefined(testAucs);
        }
    }

    /** Both arms for one seed. */
    public record Replicate(long seed, int trainImages, int testImages, Arm fineTuned, Arm scratch) {
        /** Fine-tuned minus scratch mean test AUC. */
        public double gain() {
            return fineTuned.testMeanAuc() - scratch.testMeanAuc();
        }
    }

    /** All replicates, the base they started from and the wall time. */
    public record Result(String base, Settings settings, List<Replicate> replicates, double seconds) {

        /** Mean and sample standard deviation of the paired gains. */
        public DescriptiveStatistics gains() {
            DescriptiveStatistics d = new DescriptiveStatistics();
            replicates.forEach(r -> d.addValue(r.gain()));
            return d;
        }

        /** Seeds where the fine-tuned arm had the higher mean test AUC. */
        public long wins() {
            return replicates.stream().filter(r -> r.gain() > 0).count();
        }

        /** One row per seed (test mean AUC of both arms, gain) plus a mean row. */
        public Table table() {
            StringColumn seed = StringColumn.create("seed");
            IntColumn labelled = IntColumn.create("labelled images");
            DoubleColumn fine = DoubleColumn.create("fine-tuned base");
            DoubleColumn scratch = DoubleColumn.create("from scratch");
            DoubleColumn gain = DoubleColumn.create("gain");
            DescriptiveStatistics f = new DescriptiveStatistics();
            DescriptiveStatistics s = new DescriptiveStatistics();
            for (Replicate r : replicates) {
                seed.append(String.valueOf(r.seed()));
                labelled.append(r.trainImages());
                fine.append(round(r.fineTuned().testMeanAuc()));
                scratch.append(round(r.scratch().testMeanAuc()));
                gain.append(round(r.gain()));
                f.addValue(r.fineTuned().testMeanAuc());
                s.addValue(r.scratch().testMeanAuc());
            }
            seed.append("mean");
            labelled.appendMissing();
            fine.append(round(f.getMean()));
            scratch.append(round(s.getMean()));
            gain.append(round(gains().getMean()));
            return Table.create("Test mean AUC on the target site: fine-tuned base vs scratch", seed, labelled, fine,
                    scratch, gain);
        }

        /** Test AUC per finding, averaged over seeds (NaN where a finding was undefined in every seed). */
        public Table perFinding() {
            StringColumn name = StringColumn.create("finding");
            DoubleColumn fine = DoubleColumn.create("fine-tuned base");
            DoubleColumn scratch = DoubleColumn.create("from scratch");
            Finding[] all = Finding.values();
            for (int i = 0; i < all.length; i++) {
                int k = i;
                name.append(all[i].label());
                fine.append(round(Validation.meanDefined(replicates.stream().mapToDouble(r -> r.fineTuned().testAucs()[k]).toArray())));
                scratch.append(round(Validation.meanDefined(replicates.stream().mapToDouble(r -> r.scratch().testAucs()[k]).toArray())));
            }
            return Table.create("Test AUC per finding, mean over seeds", name, fine, scratch);
        }

        /** A one-paragraph summary with the numbers. */
        public String summary() {
            DescriptiveStatistics g = gains();
            return String.format(java.util.Locale.ROOT,
                    "fine-tuning %s (%s, all layers trained in one stage) beat training from scratch in %d of %d seeds: "
                            + "mean gain %+.3f test AUC (sd %.3f); %d labelled images, %d epochs at %d², %.0f s in all",
                    base, settings.small() ? "small DenseNet" : "DenseNet121", wins(), replicates.size(), g.getMean(),
                    replicates.size() > 1 ? g.getStandardDeviation() : 0.0,
                    settings.labelledImages(), settings.epochs(), settings.imageSize(), seconds);
        }
    }

    private PhantomTransferExperiment() {
    }

    /**
     * Pretrains a base on {@code source} from scratch with the {@code train} command's recipe and writes it to
     * {@code workDir/model.zip} (with history and data settings beside it); returns that file.
     */
    public static Path pretrain(Path source, Path workDir, int imageSize, boolean small, int epochs, long seed,
                                boolean progress) {
        TrainingRecipe.Options o = TrainingRecipe.options().dataDir(source).workDir(workDir).imageSize(imageSize)
                .small(small).epochs(epochs).seed(seed).fromScratch(true).progress(progress);
        return TrainingRecipe.of(o).run().modelFile();
    }

    /** Runs both arms on {@code target} for every seed, starting the fine-tuned arm from {@code base}. */
    public static Result run(Path base, Path target, Settings s, List<Long> seeds) {
        return run(base, target, s, seeds, r -> { });
    }

    /** As {@link #run(Path, Path, Settings, List)}, handing each finished replicate to {@code onReplicate}. */
    public static Result run(Path base, Path target, Settings s, List<Long> seeds,
                             java.util.function.Consumer<Replicate> onReplicate) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds given");
        }
        long t0 = System.nanoTime();
        List<Replicate> out = new ArrayList<>();
        for (long seed : seeds) {
            // each arm gets freshly built iterators, so both see the same shuffling from epoch 1
            TrainingData fineData = load(target, s, seed);
            Arm fine = arm(fineData, s, seed, base);
            TrainingData scratchData = load(target, s, seed);
            Arm scratch = arm(scratchData, s, seed, null);
            Replicate r = new Replicate(seed, fineData.splits().train().size(), fineData.splits().test().size(), fine, scratch);
            out.add(r);
            onReplicate.accept(r);
        }
        return new Result(base.getFileName().toString(), s, out, (System.nanoTime() - t0) / 1e9);
    }

    private static TrainingData load(Path target, Settings s, long seed) {
        DataSettings ds = new DataSettings(target, s.imageSize(), 3, s.batchSize(), 0, 0.2, seed);
        return TrainingData.load(ds, s.labelledImages(), 0);
    }

    private static Arm arm(TrainingData data, Settings s, long seed, Path base) {
        TrainingRecipe recipe = TrainingRecipe.of(TrainingRecipe.options().imageSize(s.imageSize()).small(s.small())
                .seed(seed).fromScratch(base == null).weights(base));
        ComputationGraph graph = recipe.prepare(data).graph();
        TrainerConfig tc = TrainerConfig.builder().epochs(s.epochs()).learningRate(s.learningRate())
                .batchSize(s.batchSize()).seed(seed).earlyStoppingPatience(0).reduceLrPatience(2).progress(false)
                .dataFiles(List.of(data.labelsFile())).build();
        TrainingHistory h = Trainer.fit(graph, data.train(), data.val(), tc);
        return new Arm(Validation.evaluate(graph, data.test(), 0).aucs(), h);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : Double.NaN;
    }
}
