package org.cxrworkbook.spark;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.cli.ErrorReport;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the Spark job ({@code ./cxr spark-predict …} runs {@code SparkMain predict …}; with spark-submit:
 * {@code --class org.cxrworkbook.spark.SparkMain cxr-spark-submit.jar predict …}).
 */
@Command(name = "cxr", mixinStandardHelpOptions = true, version = "cxr-workbook 0.1.0",
        description = "The workbook's archive jobs on Apache Spark.",
        subcommands = {SparkFeaturesCommand.class, SparkPredictCommand.class})
public final class SparkMain implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the workbook's error handling ({@link ErrorReport}): a refused input is one line on stderr
     * naming the file, row, option or master URL (exit 2), or with {@code --json} one JSON document on stdout.
     */
    public static CommandLine commandLine() {
        return ErrorReport.install(new CommandLine(new SparkMain()));
    }

    /** A job body: runs on the started context with what the driver prepared, returns the exit code. */
    @FunctionalInterface
    interface Body<T> {
        int run(JavaSparkContext sc, T prepared, Driver driver) throws Exception;
    }

    /** The driver's time before the job: preparing (reading the archive's lists, model check, statistics), starting Spark. */
    record Driver(double prepareSeconds, double startSeconds) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("driver_prepare_seconds", Math.round(prepareSeconds * 1000) / 1000.0);
            m.put("context_start_seconds", Math.round(startSeconds * 1000) / 1000.0);
            return m;
        }

        String summary() {
            return String.format(java.util.Locale.ROOT, "driver: %.1f s preparing, %.1f s starting Spark", prepareSeconds,
                    startSeconds);
        }
    }

    /**
     * Prepares on the driver (refusals — bad input, a model that does not fit — happen here, before Spark starts),
     * starts the context (an unreachable master is refused here), runs the body and stops the context. Failures go to
     * the command line's {@link ErrorReport}.
     */
    static <T> int run(SparkJobs.Options options, Callable<T> prepare, Body<T> body) throws Exception {
        long t0 = System.nanoTime();
        T prepared = prepare.call();
        long t1 = System.nanoTime();
        JavaSparkContext sc = SparkJobs.start(options);
        Driver driver = new Driver((t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        try {
            return body.run(sc, prepared, driver);
        } finally {
            sc.stop();
        }
    }

    /** Pretty JSON of a map. */
    static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
