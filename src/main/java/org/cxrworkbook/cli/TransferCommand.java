package org.cxrworkbook.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.WorkbookHome;
import org.cxrworkbook.train.PhantomTransferExperiment;
import org.cxrworkbook.train.PhantomTransferExperiment.Replicate;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxr transfer}: does a base pretrained on one phantom population beat training from scratch on another site
 * with few labels? Pretrains the base (or takes {@code --base}), then trains both arms per seed; writes
 * WORK/transfer.json and WORK/transfer.md.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Transfer learning on phantoms: fine-tune a pretrained base vs train from scratch on a target "
                + "site with few labels, same budget, several seeds. Both arms train every layer in one stage on the "
                + "images (the single-stage trainer; not the staged recipe of `train`, whose frozen stages need no such "
                + "comparison to run). A DenseNet121 --base selects DenseNet121 for both arms. "
                + "Writes WORK/transfer.json and WORK/transfer.md.")
public final class TransferCommand implements Callable<Integer> {

    @Option(names = "--source", description = "dataset the base is pretrained on (e.g. data/phantom-b, site B); "
            + "not needed with --base")
    Path source;

    @Option(names = "--base", description = "an existing base (DL4J .zip or Keras .h5) instead of pretraining one")
    Path base;

    @Option(names = "--target", description = "dataset of the target site (default: ${DEFAULT-VALUE})")
    Path target = WorkbookHome.resolve("data", "phantom");

    @Option(names = "--work", description = "output folder (default: ${DEFAULT-VALUE}); the pretrained base goes to WORK/base/")
    Path work = WorkbookHome.resolve("output", "transfer");

    @Option(names = "--size", description = "image side in pixels (default: ${DEFAULT-VALUE})")
    int size = 128;

    @Option(names = "--full", description = "DenseNet121 instead of the small variant")
    boolean full;

    @Option(names = "--pretrain-epochs", description = "epochs of pretraining on the source (default: ${DEFAULT-VALUE})")
    int pretrainEpochs = 15;

    @Option(names = "--pretrain-seed", description = "seed of the pretraining run (default: ${DEFAULT-VALUE})")
    long pretrainSeed = 7;

    @Option(names = "--epochs", description = "epochs of each arm on the target (default: ${DEFAULT-VALUE})")
    int epochs = 10;

    @Option(names = "--labelled", description = "labelled target training images per arm (default: ${DEFAULT-VALUE})")
    long labelled = 150;

    @Option(names = "--batch", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--lr", description = "Adam learning rate of both arms (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;

    @Option(names = "--seeds", split = ",", description = "seeds, one replicate each (default: 1,2,3,4,5)")
    List<Long> seeds = new ArrayList<>(List.of(1L, 2L, 3L, 4L, 5L));

    @Option(names = "--quiet", description = "no progress bar while pretraining")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (base == null && source == null) {
            throw new IllegalArgumentException("give --source DIR to pretrain a base, or --base FILE");
        }
        AtomicFiles.requireWritableFolder(work, "the --work folder");
        if (base != null && !full && org.cxrworkbook.train.BaseFile.read(base).getConfiguration().getVertices()
                .containsKey("conv5_block16_concat")) {
            full = true;
            System.err.println("[transfer] " + base + " is a DenseNet121 base: both arms train DenseNet121");
        }
        Path start = base != null ? base
                : PhantomTransferExperiment.pretrain(source, work.resolve("base"), size, !full, pretrainEpochs,
                        pretrainSeed, !quiet);
        var settings = new PhantomTransferExperiment.Settings(size, !full, batch, lr, epochs, labelled);
        PhantomTransferExperiment.Result r = PhantomTransferExperiment.run(start, target, settings, seeds,
                rep -> System.err.printf(java.util.Locale.ROOT, "[transfer] seed %d: fine-tuned %.3f, scratch %.3f, gain %+.3f%n",
                        rep.seed(), rep.fineTuned().testMeanAuc(), rep.scratch().testMeanAuc(), rep.gain()));
        AtomicFiles.writeString(work.resolve("transfer.json"), json(r, start));
        String md = "# " + r.table().name() + "\n\n" + markdown(r) + "\n" + r.summary() + "\n";
        AtomicFiles.writeString(work.resolve("transfer.md"), md);
        System.out.println(r.table().printAll());
        System.out.println(r.perFinding().printAll());
        System.out.println(r.summary());
        System.out.println("written: " + work.resolve("transfer.json") + ", " + work.resolve("transfer.md"));
        return 0;
    }

    private String json(PhantomTransferExperiment.Result r, Path start) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", start.toString());
        m.put("source", source == null ? null : source.toString());
        m.put("target", target.toString());
        var s = r.settings();
        m.put("settings", Map.of("image_size", s.imageSize(), "small", s.small(), "batch", s.batchSize(),
                "learning_rate", s.learningRate(), "epochs", s.epochs(), "labelled_images", s.labelledImages(),
                "pretrain_epochs", base == null ? pretrainEpochs : 0));
        m.put("mean_gain", r.gains().getMean());
        m.put("wins", r.wins());
        m.put("seconds", r.seconds());
        List<Map<String, Object>> reps = new ArrayList<>();
        for (Replicate rep : r.replicates()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("seed", rep.seed());
            x.put("train_images", rep.trainImages());
            x.put("test_images", rep.testImages());
            x.put("fine_tuned_mean_auc", rep.fineTuned().testMeanAuc());
            x.put("scratch_mean_auc", rep.scratch().testMeanAuc());
            x.put("fine_tuned_aucs", finite(rep.fineTuned().testAucs()));
            x.put("scratch_aucs", finite(rep.scratch().testAucs()));
            x.put("fine_tuned_best_val_auc", rep.fineTuned().history().bestValMeanAuc());
            x.put("scratch_best_val_auc", rep.scratch().history().bestValMeanAuc());
            reps.add(x);
        }
        m.put("replicates", reps);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON has no NaN: undefined AUCs become null. */
    private static List<Double> finite(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(Double.isFinite(x) ? x : null);
        }
        return out;
    }

    private static String markdown(PhantomTransferExperiment.Result r) {
        var t = r.table();
        StringBuilder sb = new StringBuilder("|");
        t.columnNames().forEach(n -> sb.append(' ').append(n).append(" |"));
        sb.append("\n|").append("---|".repeat(t.columnCount())).append('\n');
        for (int i = 0; i < t.rowCount(); i++) {
            sb.append('|');
            for (int c = 0; c < t.columnCount(); c++) {
                sb.append(' ').append(t.getString(i, c)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
