package org.cxrworkbook.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cxr spark-predict}: a model's predictions.csv for a whole archive (or one official split) on Spark. */
@Command(name = "spark-predict", aliases = "predict", mixinStandardHelpOptions = true,
        description = "Predict every film of an NIH-layout archive on Spark and write the workbook's predictions.csv.")
public final class SparkPredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "trained model (model.zip of notebook 06 / ./cxr train)")
    Path model;

    @Option(names = "--settings", paramLabel = "FILE",
            description = "data-settings.json of the model's training (default: the one beside --model)")
    Path settings;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "NIH-layout archive, on a path every executor sees")
    Path data;

    @Option(names = "--split", defaultValue = "all", paramLabel = "S", description = "all, train_val or test (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "predictions.csv to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        ArchivePredictions.Request request = new ArchivePredictions.Request(model, settings, data, split, out,
                spark.partitions, spark.batch, spark.failPartition);
        return SparkMain.run(spark.jobOptions("cxr spark-predict"), () -> ArchivePredictions.prepare(request), (sc, prepared, driver) -> {
            ArchivePredictions.Result r = ArchivePredictions.run(sc, request, prepared);
            for (Problem p : r.missing()) {
                err.println("missing: " + p);
            }
            if (spark.json) {
                Map<String, Object> m = new LinkedHashMap<>(r.figures().toMap());
                m.putAll(driver.toMap());
                m.put("rows_written", r.rows());
                m.put("missing_films", r.missing().stream().map(p -> {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("file", p.file());
                    one.put("row", p.row());
                    one.put("message", p.message());
                    return one;
                }).toList());
                m.put("out", r.file().toString());
                outw.println(SparkMain.json(m));
            } else {
                outw.println(r.figures().summary() + "; " + driver.summary());
                outw.println("wrote " + r.rows() + " rows to " + r.file() + (r.missing().isEmpty() ? ""
                        : "; " + r.missing().size() + " film(s) could not be read (listed above) and are not in it"));
            }
            outw.flush();
            return 0;
        });
    }
}
