package org.cxrworkbook.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The workbook's substitute for ImageNet weights, and the experiment that justifies it: pretrain a
 * DenseNet on phantom site A, then on site B with few labels compare fine-tuning that base against
 * training from scratch with the same budget (epochs, batches, learning rate, seed).
 */
public final class PhantomTransferExperiment {

    /** Settings: image size, model variant, site-A images (0 = all), budgets and the number of labelled site-B training images. */
    public record Settings(int imageSize, boolean small, long pretrainImages, int pretrainEpochs, int fineTuneEpochs, long labelledImages,
                           double learningRate, int batchSize, long seed) {
    }

    /** Test AUCs per finding (NaN where undefined) for both arms, and the validation curves. */
    public record Result(double[] pretrainedTestAucs, double[] scratchTestAucs, TrainingHistory pretrainedHistory,
                         TrainingHistory scratchHistory, TrainingHistory baseHistory, double seconds) {

        /** Mean over findings defined in both arms. */
        public double meanPretrained() {
            return Validation.meanDefined(pretrainedTestAucs);
        }

        public double meanScratch() {
            return Validation.meanDefined(scratchTestAucs);
        }

        /** One row per finding plus the mean: finding, fine-tuned AUC, scratch AUC. */
        public Table table() {
            StringColumn name = StringColumn.create("finding");
            DoubleColumn pre = DoubleColumn.create("fine-tuned (site-A base)");
            DoubleColumn scr = DoubleColumn.create("from scratch");
            Finding[] f = Finding.values();
            for (int i = 0; i < f.length; i++) {
                name.append(f[i].label());
                pre.append(round(pretrainedTestAucs[i]));
                scr.append(round(scratchTestAucs[i]));
            }
            name.append("mean (defined)");
            pre.append(round(meanPretrained()));
            scr.append(round(meanScratch()));
            name.append("best val mean AUC");
            pre.append(round(pretrainedHistory.bestValMeanAuc()));
            scr.append(round(scratchHistory.bestValMeanAuc()));
            return Table.create("Site B test AUC: pretrained base vs scratch", name, pre, scr);
        }

        private static double round(double v) {
            return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : Double.NaN;
        }
    }

    private PhantomTransferExperiment() {
    }

    /**
     * Pretrains on {@code siteA} (all images) and saves the base as {@code workDir/densenet-phantom-base.zip}
     * (skipped if that file exists), then runs both arms on {@code siteB}.
     */
    public static Result run(Path siteA, Path siteB, Path workDir, Settings s) throws java.io.IOException {
        long t0 = System.nanoTime();
        Path basePath = workDir.resolve(StartingWeights.PHANTOM_BASE);
        TrainingHistory baseHistory = new TrainingHistory(List.of(), "loaded " + basePath);
        if (!Files.isRegularFile(basePath)) {
            TrainingData a = TrainingData.load(siteA, s.imageSize(), 3, s.batchSize(), s.pretrainImages(), 0.15, s.seed(), 0);
            ComputationGraph base = DenseNet.build(config(s, a.loss()));
            baseHistory = Trainer.fit(base, a.train(), a.val(), trainer(s, s.pretrainEpochs(), a));
            CheckpointStore.writeModel(base, basePath);
            baseHistory.save(workDir.resolve("densenet-phantom-base-history.json"));
        }
        ComputationGraph pretrained = ModelSerializer.restoreComputationGraph(basePath.toFile(), false);

        TrainingData b1 = TrainingData.load(new DataSettings(siteB, s.imageSize(), 3, s.batchSize(), 0, 0.15, s.seed()), s.labelledImages(), 0);
        ComputationGraph fine = DenseNet.build(config(s, b1.loss()));
        StartingWeights.copyMatching(pretrained, fine);
        TrainingHistory hf = Trainer.fit(fine, b1.train(), b1.val(), trainer(s, s.fineTuneEpochs(), b1));
        double[] aucFine = Validation.evaluate(fine, b1.test(), 0).aucs();

        TrainingData b2 = TrainingData.load(new DataSettings(siteB, s.imageSize(), 3, s.batchSize(), 0, 0.15, s.seed()), s.labelledImages(), 0);
        ComputationGraph scratch = DenseNet.build(config(s, b2.loss()));
        TrainingHistory hs = Trainer.fit(scratch, b2.train(), b2.val(), trainer(s, s.fineTuneEpochs(), b2));
        double[] aucScratch = Validation.evaluate(scratch, b2.test(), 0).aucs();
        return new Result(aucFine, aucScratch, hf, hs, baseHistory, (System.nanoTime() - t0) / 1e9);
    }

    private static DenseNetConfig config(Settings s, WeightedBinaryCrossEntropy loss) {
        DenseNetConfig base = s.small() ? DenseNetConfig.small() : DenseNetConfig.densenet121();
        return base.toBuilder().inputSize(s.imageSize()).channels(3).classes(14).lossFunction(loss).seed(s.seed()).build();
    }

    private static TrainerConfig trainer(Settings s, int epochs, TrainingData d) {
        return TrainerConfig.builder().epochs(epochs).learningRate(s.learningRate()).batchSize(s.batchSize())
                .seed(s.seed()).earlyStoppingPatience(0).reduceLrPatience(2).progress(false)
                .dataFiles(new ArrayList<>(List.of(d.labelsFile()))).build();
    }
}
