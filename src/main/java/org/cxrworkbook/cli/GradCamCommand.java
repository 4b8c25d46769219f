package org.cxrworkbook.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.explain.ExplainSample;
import org.cxrworkbook.explain.ExplainSamples;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GradCam;
import org.cxrworkbook.explain.GradCamPlusPlus;
import org.cxrworkbook.explain.GradCamRun;
import org.cxrworkbook.explain.HeatmapMethod;
import org.cxrworkbook.explain.LocalisationOptions;
import org.cxrworkbook.explain.TailHead;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.plot.Charts;
import org.cxrworkbook.plot.FilmTruth;
import org.cxrworkbook.plot.HeatmapPlots;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr gradcam}: heatmaps of the test images with lesion boxes, scored against the boxes and both baselines. */
@Command(name = "gradcam", mixinStandardHelpOptions = true,
        description = "Grad-CAM / Grad-CAM++ on the test images that have lesion boxes: pointing game and IoU per "
                + "finding against a centre-prior and a random-map baseline; overlays saved with --out.")
public final class GradCamCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "model zip (ModelSerializer)")
    Path model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "dataset in NIH layout (default: the one the model was trained on, from data-settings.json beside it)")
    Path data;

    @Option(names = "--layer", defaultValue = GradCam.DEFAULT_LAYER, paramLabel = "L",
            description = "target vertex (default ${DEFAULT-VALUE}; also conv5_block16_concat, relu)")
    String layer;

    @Option(names = "--method", defaultValue = "gradcam", paramLabel = "M",
            description = "gradcam or gradcampp (default ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--images", defaultValue = "50", paramLabel = "N",
            description = "at most N test images with boxes (default ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the random-map baseline (default: the classroom seed)")
    Long seed;

    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "write DIR/localisation.json and DIR/overlays/<image>_<finding>.png (lesion boxes outlined)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (images < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--images must be a whole number >= 1 "
                    + "(test images with lesion boxes to explain), got " + images);
        }
        if (out != null) {
            AtomicFiles.requireWritableFolder(out, "the --out folder");
        }
        HeatmapMethod m = switch (method) {
            case "gradcam" -> GradCam.at(layer);
            case "gradcampp" -> GradCamPlusPlus.at(layer);
            default -> throw new IllegalArgumentException("--method must be gradcam or gradcampp, got " + method);
        };
        ComputationGraph graph = Predictor.loadModel(model);
        TailHead.validateTarget(graph, layer); // fail before the slow image loading
        // the image size, subset and split the model was trained with, saved beside it by `train` / notebook 06
        Path workDir = model.toAbsolutePath().getParent();
        DataSettings trained = DataSettings.read(workDir);
        if (data != null) {
            trained = new DataSettings(data, trained.imageSize(), trained.channels(), trained.batchSize(),
                    trained.maxImages(), trained.valFraction(), trained.seed());
        }
        TrainingData td = TrainingData.load(trained);
        ChestXrayDataset dataset = td.dataset();
        List<ImageRecord> boxed = dataset.withBoxes(td.splits().test(), images);
        if (boxed.isEmpty()) {
            throw new IllegalArgumentException("no test image of " + trained.dataDir() + " has a lesion box (BBox_List_2017.csv)");
        }
        List<ExplainSample> samples;
        try (CxrDataSetIterator it = td.evalIterator(boxed, "gradcam")) {
            samples = ExplainSamples.fromIterator(it, boxed, dataset);
        }
        GradCamRun.Result result = GradCamRun.run(graph, samples, m,
                LocalisationOptions.builder()
                        .seed(seed != null ? seed : org.cxrworkbook.train.RunSettings.classroom().seed()).build());
        System.out.println(json ? result.report().toJson() : result.report().toString());
        if (out != null) {
            AtomicFiles.writeString(out.resolve("localisation.json"), result.report().toJson());
            for (GradCamRun.Explained e : result.images()) {
                float[][] grey = HeatmapPlots.grey(e.sample().input());
                for (var h : e.heatmaps().entrySet()) {
                    Finding f = h.getKey();
                    var fh = new FindingHeatmap(f, e.probabilities()[f.ordinal()], h.getValue());
                    String name = e.sample().imageIndex().replace(".png", "") + "_" + f.slug() + ".png";
                    Charts.savePng(HeatmapPlots.topK(grey, FilmTruth.of(e.sample()), List.of(fh)),
                            out.resolve("overlays").resolve(name));
                }
            }
        }
        return 0;
    }
}
