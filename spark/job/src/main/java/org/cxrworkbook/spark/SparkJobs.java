package org.cxrworkbook.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts the Spark context of a job: the master named on the command line, else the one {@code spark-submit} set,
 * else embedded {@code local[*]}. A local master gets task retries ({@code local[N]} becomes {@code local[N,F]} with
 * F = {@code spark.task.maxFailures}, default 4, as on a cluster; plain local mode never retries). A
 * {@code spark://} master is checked before the context starts: unreachable within a bounded time gives one error
 * naming the URL and what to check; reachable but no executor within the wait gives another.
 */
public final class SparkJobs {

    /** The master used when none is given. */
    public static final String DEFAULT_MASTER = "local[*]";
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)]");

    private SparkJobs() {
    }

    /** Options of a job's context. */
    public record Options(String master, String appName, int connectSeconds, int executorWaitSeconds,
                          String executorMemory, boolean ui) {
    }

    /** The master to use: {@code requested}, else spark-submit's {@code spark.master}, else {@link #DEFAULT_MASTER}. */
    public static String master(String requested, SparkConf conf) {
        if (requested != null && !requested.isBlank()) {
            return requested.strip();
        }
        return conf.get("spark.master", DEFAULT_MASTER);
    }

    /** {@code local[N]} / {@code local[*]} / {@code local} with retries added; any other master unchanged. */
    public static String withRetries(String master, int maxFailures) {
        if (master.equals("local")) {
            return "local[1," + maxFailures + "]";
        }
        Matcher m = LOCAL.matcher(master);
        return m.matches() ? "local[" + m.group(1) + "," + maxFailures + "]" : master;
    }

    /** Starts the context (after checking a standalone master) and waits for executors on a cluster. */
    public static JavaSparkContext start(Options o) {
        SparkConf conf = new SparkConf().setAppName(o.appName());
        String master = master(o.master(), conf);
        int maxFailures = conf.getInt("spark.task.maxFailures", 4);
        master = withRetries(master, maxFailures);
        conf.setMaster(master);
        conf.setIfMissing("spark.ui.enabled", String.valueOf(o.ui()));
        conf.setIfMissing("spark.driver.maxResultSize", "0");
        conf.setIfMissing("spark.executor.extraJavaOptions",
                "-Djava.awt.headless=true -Dorg.eclipse.deeplearning4j.helpers.disable=false");
        boolean standalone = master.startsWith("spark://");
        if (master.startsWith("local") || masterOnThisMachine(master)) {
            // Embedded or on this machine: listen on the loopback only, not on whatever address the host name has.
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        if (standalone) {
            requireReachable(master, o.connectSeconds());
            if (!conf.contains("spark.jars") && !conf.contains("spark.executor.extraClassPath")) {
                // Started by ./cxr, not spark-submit: executors on this machine (or with the same shared paths) load
                // the driver's own classpath instead of fetching ~400 MB of jars.
                conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            }
            if (o.executorMemory() != null) {
                conf.setIfMissing("spark.executor.memory", o.executorMemory());
            }
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        if (standalone) {
            try {
                awaitExecutors(sc, master, o.executorWaitSeconds());
            } catch (RuntimeException e) {
                sc.stop();
                throw e;
            }
        }
        return sc;
    }

    static boolean masterOnThisMachine(String master) {
        if (!master.startsWith("spark://")) {
            return false;
        }
        return masters(master).stream().allMatch(a -> a.getHostString().equals("127.0.0.1")
                || a.getHostString().equals("localhost"));
    }

    /** Host and port of every master in a {@code spark://h1:p1,h2:p2} URL. */
    static List<InetSocketAddress> masters(String url) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hp : url.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hp.strip());
            if (u.getHost() == null) {
                throw new IllegalArgumentException("master URL " + url + " is not spark://HOST:PORT[,HOST:PORT]");
            }
            out.add(InetSocketAddress.createUnresolved(u.getHost(), u.getPort() < 0 ? 7077 : u.getPort()));
        }
        return out;
    }

    /**
     * Tries to open a TCP connection to the master(s) for at most {@code seconds}; throws {@link MasterUnreachable}
     * naming the URL, the last error and what to check.
     */
    static void requireReachable(String url, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "no attempt";
        do {
            for (InetSocketAddress a : masters(url)) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), 2000);
                    return;
                } catch (IOException e) {
                    last = a.getHostString() + ":" + a.getPort() + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new MasterUnreachable("cannot reach the Spark master " + url + " within " + seconds + " s (" + last
                + "). Check that the master is running (environment/spark-cluster.sh start here, or $SPARK_HOME/sbin/"
                + "start-master.sh), that the URL matches its log line 'Starting Spark master at spark://…' (host and "
                + "port, default 7077), and that no firewall blocks that port; or leave --master out to run embedded "
                + DEFAULT_MASTER + ".");
    }

    private static void awaitExecutors(JavaSparkContext sc, String master, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (sc.sc().getExecutorMemoryStatus().size() > 1) { // the driver's block manager counts as one
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new MasterUnreachable("the Spark master " + master + " accepted the job but no executor started within "
                + seconds + " s. Check that workers are registered with it (its web UI, port 8080, lists them) and have "
                + "free the cores and memory the job asks for (spark.executor.memory=" + sc.getConf().get("spark.executor.memory", "1g")
                + "); the workers' logs say why an executor failed to start.");
    }

    /** The master could not be reached, or gave no executor (bad input: the command reports it without a stack trace). */
    public static final class MasterUnreachable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MasterUnreachable(String message) {
            super(message);
        }
    }
}
