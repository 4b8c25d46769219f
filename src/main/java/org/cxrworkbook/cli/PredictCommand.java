package org.cxrworkbook.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.eval.FilmPrediction;
import org.cxrworkbook.explain.Explanations;
import org.cxrworkbook.explain.FindingHeatmap;
import org.cxrworkbook.explain.GradCam;
import org.cxrworkbook.explain.TailHead;
import org.cxrworkbook.plot.Charts;
import org.cxrworkbook.plot.FilmTruth;
import org.cxrworkbook.plot.HeatmapPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxr predict}: the 14 findings' probabilities for one film, preprocessed as the model's test films. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Probabilities of the 14 findings for one film (PNG 8/16-bit, grey/RGB/RGBA, any size; JPEG via "
                + "ImageIO), preprocessed as the model's test films: size and channels from data-settings.json beside "
                + "the model, featurewise statistics of its training films. Educational use only, not for diagnosis.")
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a workbook model.zip (with data-settings.json beside it)")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "the film")
    Path image;

    @Option(names = "--json", description = "JSON: {\"image\", \"model\", \"findings\": {\"Atelectasis\": p, …}, \"preprocessing\"}")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "also write Grad-CAM overlays of the top K findings to DIR/NAME-gradcam-topK.png")
    Path out;

    @Option(names = "--top", defaultValue = "3", paramLabel = "K", description = "findings with overlays (1-14, default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--layer", defaultValue = GradCam.DEFAULT_LAYER, paramLabel = "L", description = "Grad-CAM target (default ${DEFAULT-VALUE})")
    String layer;

    @Override
    public Integer call() {
        if (top < 1 || top > Finding.COUNT) {
            throw new IllegalArgumentException("--top must be 1-" + Finding.COUNT + ", not " + top);
        }
        FilmPrediction p = FilmPrediction.of(model, image);
        Path overlay = out == null ? null : overlays(p);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("image", image.toString());
            o.addProperty("model", model.toString());
            JsonObject findings = new JsonObject();
            for (Finding f : Finding.all()) {
                findings.addProperty(f.label(), p.probabilities().get(f));
            }
            o.add("findings", findings);
            o.addProperty("preprocessing", p.preprocessing());
            if (overlay != null) {
                o.addProperty("gradcam", overlay.toString());
            }
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o));
        } else {
            out.printf(Locale.ROOT, "%s with %s (%s)%n", image, model, p.preprocessing());
            out.print(p.table());
            var top = p.ranked().get(0);
            out.printf(Locale.ROOT, "most probable: %s %.3f. Educational use only, not for diagnosis.%n",
                    top.getKey().label(), top.getValue());
            if (overlay != null) {
                out.println("Grad-CAM of the top " + this.top + " findings (layer " + layer + "): " + overlay);
            }
        }
        out.flush();
        return 0;
    }

    /** The course's figure for this film: the film, then the top K findings' Grad-CAM maps (labels unknown). */
    private Path overlays(FilmPrediction p) {
        TailHead.validateTarget(p.graph(), layer);
        List<FindingHeatmap> maps = Explanations.topK(p.graph(), p.input(), GradCam.at(layer), top);
        String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path file = out.resolve(stem + "-gradcam-top" + top + ".png");
        Charts.savePng(HeatmapPlots.topK(HeatmapPlots.grey(p.input()),
                FilmTruth.unlabelled(image.getFileName().toString()), maps), file);
        return file;
    }
}
