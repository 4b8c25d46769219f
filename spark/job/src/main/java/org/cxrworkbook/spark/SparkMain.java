package org.cxrworkbook.spark;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.DataException;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Entry point of the Spark job ({@code ./cxr spark-predict …} runs {@code SparkMain predict …}; with spark-submit:
 * {@code --class org.cxrworkbook.spark.SparkMain cxr-spark-submit.jar predict …}).
 */
@Command(name = "cxr-spark", mixinStandardHelpOptions = true, version = "cxr-workbook 0.1.0",
        description = "The workbook's archive jobs on Apache Spark.",
        subcommands = {SparkFeaturesCommand.class, SparkPredictCommand.class})
public final class SparkMain implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkMain()).execute(args));
    }

    /** A job body: runs on the started context with what the driver prepared, returns the exit code. */
    @FunctionalInterface
    interface Body<T> {
        int run(JavaSparkContext sc, T prepared) throws Exception;
    }

    /**
     * Prepares on the driver (refusals — bad input, a model that does not fit — happen here, before Spark starts),
     * starts the context, runs the body and stops the context. Known errors become one line on stderr and exit 2.
     */
    static <T> int run(CommandSpec spec, SparkJobs.Options options, Callable<T> prepare, Body<T> body) {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName(" ");
        T prepared;
        try {
            prepared = prepare.call();
        } catch (DataException | IllegalArgumentException | IllegalStateException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) {
            err.println(name + ": " + e);
            err.flush();
            return 2;
        }
        JavaSparkContext sc;
        try {
            sc = SparkJobs.start(options);
        } catch (SparkJobs.MasterUnreachable e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            return body.run(sc, prepared);
        } catch (DataException | IllegalArgumentException | IllegalStateException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) {
            err.println(name + ": " + e);
            err.flush();
            return 1;
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
