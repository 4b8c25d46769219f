package org.cxrworkbook.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.eval.FilmPrediction;
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

    @Override
    public Integer call() {
        FilmPrediction p = FilmPrediction.of(model, image);
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
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o));
        } else {
            out.printf(Locale.ROOT, "%s with %s (%s)%n", image, model, p.preprocessing());
            out.print(p.table());
            var top = p.ranked().get(0);
            out.printf(Locale.ROOT, "most probable: %s %.3f. Educational use only, not for diagnosis.%n",
                    top.getKey().label(), top.getValue());
        }
        out.flush();
        return 0;
    }
}
