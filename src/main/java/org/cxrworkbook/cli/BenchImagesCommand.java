package org.cxrworkbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cxrworkbook.image.ImageCache;
import org.cxrworkbook.image.ImageLoader;
import org.cxrworkbook.image.Pixels;
import org.cxrworkbook.image.Standardizer;
import org.cxrworkbook.image.SyntheticRadiographs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-images}: images/s of decode + resize + samplewise standardisation on synthetic 1024² PNGs,
 * first (cold) and cached pass, per thread count, next to Python PIL + NumPy doing the same work.
 */
@Command(name = "bench-images", mixinStandardHelpOptions = true,
        description = "Benchmark image decode+resize+standardise (Java vs PIL+NumPy), cold and cached.")
public final class BenchImagesCommand implements Callable<Integer> {

    /** Training consumption measured for DL4J DenseNet121 on 2 cores (SHARED_REFERENCE), img/s by size. */
    private static final Map<Integer, Double> TRAINING_RATE = Map.of(224, 2.39, 128, 4.55);

    @Option(names = "--images", description = "Number of synthetic images (default ${DEFAULT-VALUE}).")
    int images = 48;

    @Option(names = "--source-size", description = "Side of the synthetic PNGs (default ${DEFAULT-VALUE}).")
    int sourceSize = 1024;

    @Option(names = "--sizes", split = ",", description = "Target sizes (default 224,128).")
    List<Integer> sizes = List.of(224, 128);

    @Option(names = "--threads", split = ",", description = "Thread counts (default 1,2).")
    List<Integer> threads = List.of(1, 2);

    @Option(names = "--dir", description = "Where to write the PNGs (default: a temp dir, deleted afterwards).")
    Path dir;

    @Option(names = "--rounds", description = "Rounds, Java then Python each round; the median is reported (default ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--cached-loops", description = "Passes over the cached images per cached measurement (default ${DEFAULT-VALUE}).")
    int cachedLoops = 10;

    @Option(names = "--no-python", description = "Skip the PIL+NumPy side.")
    boolean noPython;

    @Override
    public Integer call() throws Exception {
        boolean temp = dir == null;
        Path d = temp ? Files.createTempDirectory("cxr-bench-images") : dir;
        try {
            System.out.printf("Writing %d synthetic %d² grey PNGs to %s ...%n", images, sourceSize, d);
            List<Path> files = SyntheticRadiographs.write(d, images, sourceSize, 2024);
            // JIT warm-up on a few images (not timed); the file pages are then in the OS cache for both sides.
            runJava(files.subList(0, Math.min(6, files.size())), new ImageLoader(p -> null, 224), 1);
            // The machine is shared and noisy: several rounds, per-cell medians.
            Map<String, List<Double>> java = new LinkedHashMap<>();
            Map<String, List<Double>> py = new LinkedHashMap<>();
            String python = noPython ? null : findPython();
            List<Path> cachedFiles = new ArrayList<>();
            for (int i = 0; i < cachedLoops; i++) {
                cachedFiles.addAll(files);
            }
            // Paired: each cell runs Java then Python back to back, so both see the same machine load.
            Map<String, List<Double>> ratio = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                System.out.printf("round %d/%d%n", r + 1, rounds);
                for (int size : sizes) {
                    for (int t : threads) {
                        ImageLoader loader = new ImageLoader(p -> null, size, ImageCache.memory(1L << 30));
                        String cold = size + " " + t + " cold";
                        String cached = size + " " + t + " cached";
                        java.computeIfAbsent(cold, k -> new ArrayList<>()).add(images / runJava(files, loader, t));
                        java.computeIfAbsent(cached, k -> new ArrayList<>()).add(cachedFiles.size() / runJava(cachedFiles, loader, t));
                        if (python != null) {
                            Map<String, Double> pr = runPython(python, d, size, t);
                            for (String k : List.of(cold, cached)) {
                                if (pr.containsKey(k)) {
                                    py.computeIfAbsent(k, x -> new ArrayList<>()).add(pr.get(k));
                                    List<Double> jv = java.get(k);
                                    ratio.computeIfAbsent(k, x -> new ArrayList<>()).add(jv.get(jv.size() - 1) / pr.get(k));
                                }
                            }
                        }
                    }
                }
            }
            printTable(median(java), median(py), median(ratio));
            return 0;
        } finally {
            if (temp) {
                try (var s = Files.list(d)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(d);
            }
        }
    }

    /** Seconds to load (decode+resize, or from cache) and samplewise-standardise every file with t threads. */
    private static double runJava(List<Path> files, ImageLoader loader, int t) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(t);
        try {
            long t0 = System.nanoTime();
            List<Future<Pixels>> out = new ArrayList<>();
            for (Path f : files) {
                out.add(pool.submit(() -> Standardizer.samplewise().apply(loader.loadFile(f))));
            }
            for (Future<Pixels> f : out) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    private static Map<String, Double> median(Map<String, List<Double>> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new org.apache.commons.math3.stat.descriptive.rank.Median()
                .evaluate(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }

    /** A python3 with PIL and NumPy, installing Debian's packages if none has them; null if impossible. */
    private static String findPython() throws InterruptedException {
        // Debian's interpreter first (where apt puts python3-pil), then whatever python3 is on the PATH.
        String python = null;
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (exec(List.of(candidate, "-c", "import PIL, numpy")) == 0) {
                python = candidate;
                break;
            }
        }
        if (python == null) {
            System.out.println("PIL/NumPy missing: apt-get install -y python3-pil python3-numpy ...");
            if (exec(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "python3-pil", "python3-numpy")) != 0
                    || exec(List.of("/usr/bin/python3", "-c", "import PIL, numpy")) != 0) {
                System.out.println("could not install python3-pil/python3-numpy: skipping the PIL side");
                return null;
            }
            python = "/usr/bin/python3";
        }
        System.out.println("PIL side: " + python + " " + BenchImagesCommand.class.getResource("/bench/bench_images.py"));
        return python;
    }

    private Map<String, Double> runPython(String python, Path d, int size, int t) throws IOException, InterruptedException {
        Path script = Files.createTempFile("bench_images", ".py");
        try (InputStream in = BenchImagesCommand.class.getResourceAsStream("/bench/bench_images.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), d.toString(), String.valueOf(size), String.valueOf(t), String.valueOf(cachedLoops));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f.length == 5 && (f[2].equals("cold") || f[2].equals("cached"))) {
                    rates.put(f[0] + " " + f[1] + " " + f[2], Double.parseDouble(f[3]) / Double.parseDouble(f[4]));
                } else {
                    System.out.println("python: " + line);
                }
            }
        }
        p.waitFor();
        Files.deleteIfExists(script);
        return rates;
    }

    private static int exec(List<String> cmd) throws InterruptedException {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            return -1;
        }
    }

    private void printTable(Map<String, Double> java, Map<String, Double> py, Map<String, Double> ratio) {
        System.out.printf("%nimages/s, decode %d² PNG + resize + samplewise standardise (%d images; cached: %d passes;"
                + " median of %d rounds, Java and PIL run back to back per cell; ratio = median of per-round ratios)%n", sourceSize, images, cachedLoops, rounds);
        System.out.println("| size | threads | pass | Java | PIL+NumPy | Java/PIL | Java / training rate |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Double> e : java.entrySet()) {
            String[] k = e.getKey().split(" ");
            Double p = py.get(e.getKey());
            Double q = ratio.get(e.getKey());
            double train = TRAINING_RATE.getOrDefault(Integer.parseInt(k[0]), Double.NaN);
            System.out.printf("| %s² | %s | %s | %.1f | %s | %s | %.0f× (of %.2f) |%n", k[0], k[1], k[2], e.getValue(),
                    p == null ? "—" : String.format("%.1f", p), q == null ? "—" : String.format("%.2f", q),
                    e.getValue() / train, train);
        }
    }
}
