package org.cxrworkbook.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrworkbook.cli.FeatureKeyOptions;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.TrainingRecipe;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cxr spark-features}: the frozen base's activations at the stage boundary, computed on Spark into
 * {@code OUT/feature-cache} with the key staged training uses. The options that decide the key are {@code ./cxr train}'s
 * own ({@link FeatureKeyOptions}, classroom defaults), so the same options on {@code ./cxr train} find the cache.
 */
@Command(name = "spark-features", aliases = "features", mixinStandardHelpOptions = true,
        defaultValueProvider = FeatureKeyOptions.Defaults.class,
        description = "Compute the frozen base's features on Spark into WORK/feature-cache (the staged recipe's cache).")
public final class SparkFeaturesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SparkOptions spark;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "NIH-layout archive, on a path every executor sees")
    Path data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Base base;

    /** The frozen base: a base file or a trained model whose base is used. */
    static final class Base {
        @Option(names = "--base", paramLabel = "FILE", description = "pretrained base (data/weights/…)")
        Path base;

        @Option(names = "--model", paramLabel = "FILE", description = "a trained model.zip whose base is frozen")
        Path model;

        Path file() {
            return base != null ? base : model;
        }
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "work folder: the cache goes to DIR/feature-cache")
    Path out;

    /** Size, channels, model, unfrozen layers, head order, image limit, seed: the same options as {@code ./cxr train}. */
    @Mixin
    FeatureKeyOptions key;

    @Override
    public Integer call() throws Exception {
        PrintWriter outw = spec.commandLine().getOut();
        return SparkMain.run(spark.jobOptions("cxr spark-features"), () -> {
            RunSettings settings = key.settings(data, out, "--out", base.file(), base.base != null ? "--base" : "--model");
            TrainingRecipe.Options o = TrainingRecipe.options().settings(settings).progress(false);
            ArchiveFeatures.Request request = new ArchiveFeatures.Request(StagedTraining.Plan.of(o), spark.partitions,
                    spark.batch, spark.failPartition);
            return Map.entry(request, ArchiveFeatures.prepare(request));
        }, (sc, prepared, driver) -> {
            ArchiveFeatures.Result r = ArchiveFeatures.run(sc, prepared.getKey(), prepared.getValue());
            if (spark.json) {
                Map<String, Object> m = new LinkedHashMap<>(r.figures().toMap());
                m.putAll(driver.toMap());
                m.put("cache", r.cacheDir().toString());
                m.put("bytes", r.bytes());
                m.put("train", r.train());
                m.put("val", r.val());
                m.put("test", r.test());
                m.put("key_sha256", r.keySha256());
                outw.println(SparkMain.json(m));
            } else {
                outw.println(r.figures().summary() + "; " + driver.summary());
                outw.printf("wrote %s (%.1f MB: train %d, val %d, test %d films; key %s…)%n", r.cacheDir(), r.bytes() / 1e6,
                        r.train(), r.val(), r.test(), r.keySha256().substring(0, 12));
            }
            outw.flush();
            return 0;
        });
    }
}
