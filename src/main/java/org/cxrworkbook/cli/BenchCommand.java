package org.cxrworkbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrworkbook.perf.DenseNetBenchmark;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench}: DenseNet121 training and inference images/s and peak RSS, DL4J (ComputationGraph and/or
 * SameDiff) against PyTorch (torchvision densenet121, BCEWithLogits, Adam) in the same invocation, each configuration
 * in a fresh process, the order of the programs reversed from one configuration to the next.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark DenseNet121 training/inference: DL4J vs PyTorch, images/s and peak RSS.")
public final class BenchCommand implements Callable<Integer> {

    /** Key of the PyTorch peer among the programs of one configuration. */
    static final String TORCH = "torch";

    @Option(names = "--sizes", split = ",", description = "image sides (default: 224,128)")
    List<Integer> sizes = new ArrayList<>(List.of(224, 128));

    @Option(names = "--modes", split = ",", description = "train and/or infer (default: train,infer)")
    List<String> modes = new ArrayList<>(List.of("train", "infer"));

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--engines", split = ",", description = "DL4J representations: graph (ComputationGraph), "
            + "samediff and/or onednn (the oneDNN engine: the base's forward, and backward in training, on oneDNN, "
            + "the head and loss DL4J's) (default: graph)")
    List<String> engines = new ArrayList<>(List.of(DenseNetBenchmark.GRAPH));

    @Option(names = "--batch", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--warmup", description = "untimed iterations first (default: ${DEFAULT-VALUE})")
    int warmup = 8;

    @Option(names = "--iterations", description = "timed iterations; the median is reported (default: ${DEFAULT-VALUE})")
    int iterations = 10;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE})")
    int threads = 2;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--quick", description = "a smoke run: 64² only, 2 warm-up and 3 timed iterations")
    boolean quick;

    @Option(names = "--no-torch", description = "DL4J only")
    boolean noTorch;

    @Option(names = "--python", description = "Python with torch and torchvision (default: ${DEFAULT-VALUE})")
    String python = "/usr/bin/python3";

    @Option(names = "--jvm-arg", description = "extra option for the DL4J worker JVM (repeatable), e.g. "
            + "-Dorg.eclipse.deeplearning4j.helpers.disable=true")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--out", description = "append each result as a JSON line to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (quick) {
            sizes = List.of(64);
            warmup = 2;
            iterations = 3;
        }
        Path script = null;
        if (!noTorch) {
            script = Files.createTempFile("torch_densenet_bench", ".py");
            try (InputStream in = BenchCommand.class.getResourceAsStream("torch_densenet_bench.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        for (String engine : engines) {
            if (!DenseNetBenchmark.ENGINES.contains(engine)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--engines: unknown engine '" + engine + "', expected one of " + DenseNetBenchmark.ENGINES);
            }
        }
        List<String> programs = new ArrayList<>(engines);
        if (!noTorch) {
            programs.add(TORCH);
        }
        Map<String, Map<String, JsonNode>> table = new LinkedHashMap<>();
        int run = 0;
        for (String mode : modes) {
            for (int size : sizes) {
                List<String> args = List.of(mode, String.valueOf(size), String.valueOf(batch), String.valueOf(warmup),
                        String.valueOf(iterations), String.valueOf(seed));
                List<String> order = new ArrayList<>(programs);
                if (run++ % 2 == 1) {
                    Collections.reverse(order); // alternate which program runs first
                }
                Map<String, JsonNode> row = new LinkedHashMap<>();
                for (String program : order) {
                    boolean torch = program.equals(TORCH);
                    List<String> cmd = torch ? pythonCommand(script, args) : javaCommand(args, program);
                    System.err.printf(Locale.ROOT, "[bench] %s %s %d² ...%n", torch ? "torch" : "dl4j " + program,
                            mode, size);
                    JsonNode r = runWorker(cmd);
                    if (out != null) { // appended as each run ends, so an interrupted bench keeps what it measured
                        Files.writeString(out, new ObjectMapper().writeValueAsString(r) + "\n",
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    }
                    row.put(program, r);
                    System.err.printf(Locale.ROOT, "[bench]   %.2f img/s, peak RSS %.2f GB%n",
                            r.get("images_per_s").asDouble(), r.get("peak_rss_kb").asDouble() / 1048576.0);
                }
                table.put(mode + " " + size + "²", row);
            }
        }
        if (script != null) {
            Files.deleteIfExists(script);
        }
        System.out.print(formatTable(table));
        if (engines.size() > 1) {
            System.out.print(formatColumns(table));
        }
        return 0;
    }

    /**
     * The Markdown table: one row per configuration and DL4J engine, its ratio against the same configuration's
     * PyTorch run; with the default engine alone the rows are named by configuration only, as before engines existed.
     */
    String formatTable(Map<String, Map<String, JsonNode>> table) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "DenseNet121, batch %d, median of %d after %d warm-up, images/s; peak RSS in GB%n", batch, iterations, warmup));
        sb.append("| config | DL4J img/s | PyTorch img/s | DL4J/PyTorch | DL4J RSS | PyTorch RSS | RSS ratio |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        boolean named = !engines.equals(List.of(DenseNetBenchmark.GRAPH));
        for (Map.Entry<String, Map<String, JsonNode>> e : table.entrySet()) {
            JsonNode t = e.getValue().get(TORCH);
            for (String engine : engines) {
                JsonNode d = e.getValue().get(engine);
                if (d == null) {
                    continue;
                }
                String config = named ? e.getKey() + " " + engine : e.getKey();
                double dIps = d.get("images_per_s").asDouble();
                double dRss = d.get("peak_rss_kb").asDouble() / 1048576.0;
                if (t == null) {
                    sb.append(String.format(Locale.ROOT, "| %s | %.2f | – | – | %.2f | – | – |%n", config, dIps, dRss));
                } else {
                    double tIps = t.get("images_per_s").asDouble();
                    double tRss = t.get("peak_rss_kb").asDouble() / 1048576.0;
                    sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f× | %.2f | %.2f | %.2f× |%n",
                            config, dIps, tIps, dIps / tIps, dRss, tRss, dRss / tRss));
                }
            }
        }
        return sb.toString();
    }

    /**
     * The same runs with one column per DL4J engine: images/s of each engine and of PyTorch, each engine's ratio to
     * PyTorch, and the peak RSS of each program with each engine's ratio to PyTorch's.
     */
    String formatColumns(Map<String, Map<String, JsonNode>> table) {
        StringBuilder head = new StringBuilder("| config |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String e : engines) {
            head.append(' ').append(e).append(" img/s |");
            rule.append("---|");
        }
        head.append(" PyTorch img/s |");
        rule.append("---|");
        for (String e : engines) {
            head.append(' ').append(e).append("/PyTorch |");
            rule.append("---|");
        }
        head.append(" peak RSS ").append(String.join(" / ", engines)).append(" / PyTorch (GB) |");
        rule.append("---|");
        for (String e : engines) {
            head.append(" RSS ").append(e).append("/PyTorch |");
            rule.append("---|");
        }
        StringBuilder sb = new StringBuilder("\n").append(head).append('\n').append(rule).append('\n');
        for (Map.Entry<String, Map<String, JsonNode>> row : table.entrySet()) {
            JsonNode t = row.getValue().get(TORCH);
            double tIps = t == null ? Double.NaN : t.get("images_per_s").asDouble();
            double tRss = t == null ? Double.NaN : t.get("peak_rss_kb").asDouble() / 1048576.0;
            StringBuilder line = new StringBuilder("| " + row.getKey() + " |");
            List<String> rss = new ArrayList<>();
            StringBuilder ratios = new StringBuilder();
            StringBuilder rssRatios = new StringBuilder();
            for (String e : engines) {
                JsonNode d = row.getValue().get(e);
                double ips = d == null ? Double.NaN : d.get("images_per_s").asDouble();
                double r = d == null ? Double.NaN : d.get("peak_rss_kb").asDouble() / 1048576.0;
                line.append(' ').append(number(ips, "")).append(" |");
                ratios.append(' ').append(number(ips / tIps, "×")).append(" |");
                rss.add(number(r, ""));
                rssRatios.append(' ').append(number(r / tRss, "×")).append(" |");
            }
            rss.add(number(tRss, ""));
            line.append(' ').append(number(tIps, "")).append(" |").append(ratios).append(' ')
                    .append(String.join(" / ", rss)).append(" |").append(rssRatios).append('\n');
            sb.append(line);
        }
        return sb.toString();
    }

    private static String number(double v, String unit) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f%s", v, unit);
    }

    private List<String> javaCommand(List<String> args, String engine) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx3g");
        cmd.add("-Dorg.bytedeco.javacpp.maxbytes=12G");
        cmd.add("-Dorg.bytedeco.javacpp.maxphysicalbytes=16G");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DenseNetBenchmark.class.getName());
        cmd.addAll(args);
        cmd.add(engine);
        return cmd;
    }

    private List<String> pythonCommand(Path script, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(args);
        cmd.add(String.valueOf(threads));
        return cmd;
    }

    private static JsonNode runWorker(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        String result = null;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else {
                    tail.append(line).append('\n');
                    if (tail.length() > 4000) {
                        tail.delete(0, tail.length() - 4000);
                    }
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || result == null) {
            throw new IllegalStateException("worker failed (exit " + rc + "): " + String.join(" ", cmd.subList(0, 1))
                    + "\n" + tail);
        }
        return new ObjectMapper().readTree(result);
    }
}
