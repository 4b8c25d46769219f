package org.cxrworkbook.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.WorkbookHome;
import org.cxrworkbook.eval.CourseComparison;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.eval.RocAnalysis;
import org.cxrworkbook.eval.RocReport;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.image.FeaturewiseStats;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.HeadOrder;
import org.cxrworkbook.model.KerasWeights;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cxr evaluate}: runs a trained ({@code model.zip}) or imported (Keras {@code .h5}) model on one split of a
 * dataset, writes predictions.csv and prints per-finding AUC with patient-bootstrap CIs; on the course's folder next
 * to the course's published AUC with the difference.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run a model (DL4J .zip or Keras .h5/.hdf5, e.g. the course's pretrained_model.h5) on a split, "
                + "write predictions.csv, print per-finding AUC with patient CIs (and the course's AUC on its folder).")
public final class EvaluateCommand implements Callable<Integer> {

    /** The course's film size. */
    static final int COURSE_SIZE = 320;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model.zip (ours) or a Keras .h5/.hdf5")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset folder (NIH layout or the course's folder)")
    Path data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "S", description = "train, valid (val) or test (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--head-order", paramLabel = "ORDER", description = "Keras model's 14 outputs: course, alphabetical or a "
            + "file listing the 14 names (default: course for pretrained_model.h5, else alphabetical; the run says which)")
    String headOrder;

    @Option(names = "--preprocessing", defaultValue = "auto", paramLabel = "P", description = "course (320² films, featurewise "
            + "statistics of 100 training films, the weights' input channels), model (the size and channels in the "
            + "data-settings.json saved next to a model.zip) or auto: model when that file exists, else course (default ${DEFAULT-VALUE})")
    String preprocessing;

    @Option(names = "--image-size", paramLabel = "N", description = "film size instead of the preprocessing's")
    Integer imageSize;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "bootstrap replicates over patients (default ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "seed of the 100 statistics films and the bootstrap (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "where predictions.csv and roc.json go (default ${DEFAULT-VALUE})")
    Path out = WorkbookHome.resolve("output", "evaluate");

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Mixin
    CourseFileOptions courseFiles;

    /** The model with what it expects: channels, and film size when known (0 = any). */
    record LoadedModel(ComputationGraph graph, int channels, int size, String sizeSource, String headOrderLine,
                       DataSettings settings) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean keras = name.endsWith(".h5") || name.endsWith(".hdf5");
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such file");
        }
        AtomicFiles.requireWritableFolder(out, "the --out folder");
        if (!keras && !name.endsWith(".zip")) {
            throw new IllegalArgumentException("--model " + model + ": neither a DL4J model (.zip) nor Keras HDF5 (.h5/.hdf5)");
        }
        if (!keras && headOrder != null) {
            throw new IllegalArgumentException("--head-order applies to Keras HDF5 imports; " + model
                    + " is a workbook model, already in canonical (alphabetical) order");
        }
        Path settingsFile = model.toAbsolutePath().getParent().resolve(DataSettings.FILE);
        DataSettings saved = !keras && Files.isRegularFile(settingsFile) ? DataSettings.read(model.toAbsolutePath().getParent()) : null;
        String prep = switch (preprocessing) {
            case "auto" -> saved != null ? "model" : "course";
            case "course", "model" -> preprocessing;
            default -> throw new IllegalArgumentException("--preprocessing must be auto, course or model, not '" + preprocessing + "'");
        };
        if (prep.equals("model") && saved == null) {
            throw new IllegalArgumentException("--preprocessing model needs " + settingsFile
                    + " (saved by notebook 06 / ./cxr train next to model.zip); use --preprocessing course");
        }
        int size = imageSize != null ? imageSize : prep.equals("course") ? COURSE_SIZE : saved.imageSize();
        LoadedModel m = keras ? loadKeras(size) : loadZip(saved, settingsFile);
        int channels = prep.equals("model") ? saved.channels() : m.channels();
        if (m.size() > 0 && m.size() != size) {
            throw new IllegalArgumentException("model " + model + " expects " + m.size() + "² films (" + m.sizeSource()
                    + "), the " + prep + " preprocessing gives " + size + "²: use --preprocessing model or --image-size "
                    + m.size());
        }
        if (channels != m.channels()) {
            throw new IllegalArgumentException("model " + model + " takes " + m.channels() + "-channel films, the "
                    + prep + " preprocessing gives " + channels + " channels");
        }
        if (m.headOrderLine() != null && !json) {
            stderr.println(m.headOrderLine());
            stderr.flush();
        }
        boolean sameData = saved != null && saved.dataDir().equals(data.toAbsolutePath().normalize());
        DataSettings settings = new DataSettings(data, size, channels, batch, sameData ? saved.maxImages() : 0,
                saved != null ? saved.valFraction() : 0.2, saved != null ? saved.seed() : seed);
        ChestXrayDataset dataset = courseFiles.layout(data).map(l -> ChestXrayDataset.load(data, l))
                .orElseGet(() -> ChestXrayDataset.load(data));
        TrainingData td = TrainingData.load(settings, dataset);
        td.train().shutdown();
        List<ImageRecord> records = switch (split) {
            case "test" -> td.splits().test();
            case "valid", "val" -> td.splits().val();
            case "train" -> td.splits().train();
            default -> throw new IllegalArgumentException("--split must be train, valid or test, not '" + split + "'");
        };
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the " + split + " split of " + data + " is empty");
        }
        CxrDataSetIterator it = td.evalIterator(records, split.equals("test") ? "test" : "val");
        Predictions predictions;
        try {
            predictions = Predictor.predict(m.graph(), it, records);
        } finally {
            it.shutdown();
        }
        Files.createDirectories(out);
        Path predictionsFile = predictions.write(out.resolve("predictions.csv"));
        RocReport report = RocAnalysis.builder().bootstrap(bootstrap).seed(seed).build().analyse(predictions);
        report.writeJson(out.resolve("roc.json"));
        boolean course = td.dataset().isCourse();
        FeaturewiseStats stats = td.stats();
        String prepLine = String.format(Locale.ROOT, "%s preprocessing: %d² films, %d channel(s), featurewise statistics "
                + "of %d training films (%s)", prep, size, channels, stats.images(), stats);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("command", "evaluate");
            o.put("model", model.toString());
            o.put("data", data.toString());
            o.put("layout", course ? "course" : "nih");
            o.put("split", split);
            o.put("images", records.size());
            o.put("patients", records.stream().map(ImageRecord::patientId).distinct().count());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", prep);
            p.put("image_size", size);
            p.put("channels", channels);
            p.put("fit_images", stats.images());
            o.put("preprocessing", p);
            o.put("head_order", m.headOrderLine());
            o.put("predictions", predictionsFile.toString());
            o.put("mean_auc", report.meanAuc());
            o.put("mean_ci", List.of(report.meanCi().low(), report.meanCi().high()));
            o.put("findings", CourseComparison.rows(report));
            o.put("course_mean_auc", CourseComparison.courseMean());
            o.put("comparable_with_course", course);
            stdout.println(new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
                    .create().toJson(o));
        } else {
            stdout.printf(Locale.ROOT, "%s on %s split of %s (%s): %d films, %d patients%n", model.getFileName(), split,
                    data, course ? "course folder" : "NIH layout", records.size(),
                    records.stream().map(ImageRecord::patientId).distinct().count());
            stdout.println(prepLine);
            stdout.println("predictions: " + predictionsFile);
            stdout.println();
            if (course) {
                stdout.println(CourseComparison.table(report, true).print(100));
                stdout.println();
                stdout.println(CourseComparison.summary(report));
            } else {
                stdout.println(report.table().print(100));
            }
        }
        stdout.flush();
        return 0;
    }

    private LoadedModel loadKeras(int size) {
        HeadOrder order = headOrder == null ? null : parsedHeadOrder();
        DenseNetConfig cfg = KerasWeights.architecture(model, size);
        if (cfg.classes() != org.cxrworkbook.data.Finding.COUNT) {
            throw new IllegalArgumentException("model " + model + " has a " + cfg.classes() + "-way head (or none): "
                    + "evaluate needs the 14 findings");
        }
        ComputationGraph g = DenseNet.build(cfg);
        KerasWeights.ImportReport r = KerasWeights.load(g, model, order);
        if (r.headOrder() == null) {
            throw new IllegalArgumentException("model " + model + " has no Dense head: a base without a head cannot be evaluated");
        }
        return new LoadedModel(g, cfg.channels(), 0, "any size", r.headOrder(), null);
    }

    /** The {@code --head-order} given, or a refusal naming the option, the value and what is allowed. */
    private HeadOrder parsedHeadOrder() {
        try {
            return HeadOrder.parse(headOrder);
        } catch (org.cxrworkbook.data.DataException e) {
            throw new IllegalArgumentException("--head-order " + headOrder + " is not allowed: give course, alphabetical "
                    + "or a file listing the " + org.cxrworkbook.data.Finding.COUNT + " findings in the head's order ("
                    + e.getMessage() + ")");
        }
    }

    private LoadedModel loadZip(DataSettings saved, Path settingsFile) {
        ComputationGraph g = Predictor.loadModel(model);
        int channels = Predictor.inputChannels(g);
        return saved == null ? new LoadedModel(g, channels, 0, "no " + DataSettings.FILE + " beside it", null, null)
                : new LoadedModel(g, channels, saved.imageSize(), settingsFile.toString(), null, saved);
    }
}
