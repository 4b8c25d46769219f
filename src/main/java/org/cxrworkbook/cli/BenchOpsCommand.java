package org.cxrworkbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cxrworkbook.perf.ops.OpTable;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-ops}: DenseNet121's operations at their real shapes, forward and backward, three ways in one run —
 * DL4J as the workbook runs it, oneDNN called directly, PyTorch — with oneDNN's outputs checked against DL4J's. One
 * Java worker (DL4J and oneDNN in the same JVM, alternating) and one PyTorch worker per size, the order of the two
 * reversed from one size to the next. The Java worker runs on this JVM's class path (oneDNN's JavaCPP jars are in
 * target/lib/ since the engine uses them).
 */
@Command(name = "bench-ops", mixinStandardHelpOptions = true,
        description = "Per-op benchmark of DenseNet121 (convolutions, BN+ReLU, pooling, concatenation): DL4J vs oneDNN "
                + "called directly vs PyTorch, forward and backward, ms.")
public final class BenchOpsCommand implements Callable<Integer> {

    /** The Java worker's main class, run in a JVM of its own so that each size starts from a fresh process. */
    static final String WORKER = "org.cxrworkbook.perf.ops.OpBenchmark";

    @Option(names = "--sizes", split = ",", description = "image sides (default: 128,224)")
    List<Integer> sizes = new ArrayList<>(List.of(128, 224));

    @Option(names = "--batch", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--warmup", description = "untimed rounds per op first (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--iterations", description = "timed rounds per op; medians are reported (default: ${DEFAULT-VALUE})")
    int iterations = 15;

    @Option(names = "--threads", description = "threads of every program: OMP_NUM_THREADS for the Java worker, "
            + "torch.set_num_threads for PyTorch (default: ${DEFAULT-VALUE})")
    int threads = 2;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--only", description = "only ops whose key contains this text, e.g. block1/ or conv3x3")
    String only = "";

    @Option(names = "--no-torch", description = "DL4J and oneDNN only")
    boolean noTorch;

    @Option(names = "--python", description = "Python with torch (default: ${DEFAULT-VALUE})")
    String python = "/usr/bin/python3";

    @Option(names = "--out", description = "append each worker's result as a JSON line to this file")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (int size : sizes) {
            if (size < 32) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--sizes: " + size + " is too small for DenseNet121's four blocks (at least 32)");
            }
        }
        if (batch < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--batch must be at least 2 (batch statistics), got " + batch);
        }
        Path script = null;
        if (!noTorch) {
            script = Files.createTempFile("torch_densenet_ops", ".py");
            try (InputStream in = BenchOpsCommand.class.getResourceAsStream("torch_densenet_ops.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        StringBuilder tables = new StringBuilder();
        int run = 0;
        try {
            for (int size : sizes) {
                List<String> order = new ArrayList<>(noTorch ? List.of("java") : List.of("java", "torch"));
                if (run++ % 2 == 1) {
                    Collections.reverse(order);
                }
                JsonNode java = null;
                JsonNode torch = null;
                for (String program : order) {
                    System.err.printf(Locale.ROOT, "[bench-ops] %s %d² ...%n", program, size);
                    if (program.equals("java")) {
                        java = runWorker(javaCommand(size));
                        record(java);
                    } else {
                        Path ops = Files.createTempFile("densenet_ops", ".json");
                        try {
                            Files.writeString(ops, OpTable.opsJson(size, batch, only));
                            torch = runWorker(List.of(python, script.toString(), ops.toString(),
                                    String.valueOf(warmup), String.valueOf(iterations), String.valueOf(seed),
                                    String.valueOf(threads)));
                            record(torch);
                        } finally {
                            Files.deleteIfExists(ops);
                        }
                    }
                }
                tables.append(OpTable.format(size, java, torch));
                JsonNode env = java.get("environment");
                tables.append(String.format(Locale.ROOT, "%nJava worker: oneDNN %s beside ND4J (OpenMP runtimes mapped: "
                        + "%d; threads busy during DL4J %s, during oneDNN %s, %d distinct; %d cores)%n",
                        env.get("dnnl_version").asText(), env.get("openmp_runtimes_mapped").size(),
                        env.get("busy_threads_dl4j"), env.get("busy_threads_dnnl"),
                        env.get("busy_threads_union").asInt(), env.get("available_processors").asInt()));
            }
        } finally {
            if (script != null) {
                Files.deleteIfExists(script);
            }
        }
        System.out.print(tables);
        return 0;
    }

    private void record(JsonNode result) throws IOException {
        if (out != null) {
            Files.writeString(out, new ObjectMapper().writeValueAsString(result) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private List<String> javaCommand(int size) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx3g");
        cmd.add("-Dorg.eclipse.deeplearning4j.helpers.disable=false");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WORKER);
        cmd.addAll(List.of(String.valueOf(size), String.valueOf(batch), String.valueOf(warmup),
                String.valueOf(iterations), String.valueOf(seed), only));
        return cmd;
    }

    private JsonNode runWorker(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String result = null;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else if (!line.startsWith("OP ")) {
                    tail.append(line).append('\n');
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || result == null) {
            throw new IllegalStateException("worker failed (exit " + rc + "): " + cmd.get(0) + " … " + cmd.get(
                    cmd.size() - 1) + "\n" + tail);
        }
        return new ObjectMapper().readTree(result);
    }
}
