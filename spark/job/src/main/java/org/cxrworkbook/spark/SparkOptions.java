package org.cxrworkbook.spark;

import picocli.CommandLine.Option;

/** Command-line options every Spark command shares: where it runs and how the work is cut. */
public final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N] / local[*] (embedded, the default unless spark-submit set one), spark://HOST:7077, ...")
    String master;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "partitions of the film list (default 0: 4 per task slot)")
    int partitions;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "films per forward pass (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--connect-timeout", defaultValue = "15", paramLabel = "S",
            description = "seconds to wait for a spark:// master to answer (default ${DEFAULT-VALUE})")
    int connectSeconds;

    @Option(names = "--executor-wait", defaultValue = "60", paramLabel = "S",
            description = "seconds to wait for a first executor on a cluster (default ${DEFAULT-VALUE})")
    int executorWaitSeconds;

    @Option(names = "--executor-memory", defaultValue = "3g", paramLabel = "M",
            description = "spark.executor.memory on a cluster (default ${DEFAULT-VALUE})")
    String executorMemory;

    @Option(names = "--ui", description = "start Spark's web UI (port 4040)")
    boolean ui;

    @Option(names = "--json", description = "print the job's figures as JSON")
    boolean json;

    @Option(names = "--test-fail-partition", defaultValue = "-1", hidden = true,
            description = "test hook: fail the first attempt of this partition halfway")
    int failPartition;

    SparkJobs.Options jobOptions(String appName) {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be 0 (automatic) or more, got " + partitions);
        }
        return new SparkJobs.Options(master, appName, connectSeconds, executorWaitSeconds, executorMemory, ui);
    }
}
