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
        int run(JavaSparkContext sc, T prepared) throws Exception;
    }

    /**
     * Prepares on the driver (refusals — bad input, a model that does not fit — happen here, before Spark starts),
     * starts the context (an unreachable master is refused here), runs the body and stops the context. Failures go to
     * the command line's {@link ErrorReport}.
     */
    static <T> int run(SparkJobs.Options options, Callable<T> prepare, Body<T> body) throws Exception {
        T prepared = prepare.call();
        JavaSparkContext sc = SparkJobs.start(options);
        try {
            return body.run(sc, prepared);
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
