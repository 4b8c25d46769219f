package org.cxrworkbook.notebook;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine a run happened on, as shown in the run report: cores, memory, Java, ND4J backend. */
public record MachineFacts(int cores, long physicalMemoryBytes, long maxHeapBytes, String java, String nd4jBackend) {

    /** Facts about this JVM and machine; the ND4J backend is read from the class path without loading it. */
    public static MachineFacts current() {
        long physical = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            physical = os.getTotalMemorySize();
        }
        String java = System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")";
        return new MachineFacts(Runtime.getRuntime().availableProcessors(), physical,
                Runtime.getRuntime().maxMemory(), java, nd4jBackendOnClassPath());
    }

    /** The CPU model and its vector extensions from /proc/cpuinfo (Linux), e.g. "AMD EPYC 9R14, AVX2 AVX-512". */
    public static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
            Set<String> flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).strip().split("\\s+")))
                    .orElse(Set.of());
            List<String> vector = new ArrayList<>();
            for (String[] f : new String[][] {{"avx2", "AVX2"}, {"fma", "FMA"}, {"avx512f", "AVX-512"}}) {
                if (flags.contains(f[0])) {
                    vector.add(f[1]);
                }
            }
            return model + (vector.isEmpty() ? "" : ", " + String.join(" ", vector));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + " (no /proc/cpuinfo)";
        }
    }

    /** Versions of the main libraries, read from the names of the jars their classes come from (nothing loaded). */
    public static String libraries() {
        List<String> out = new ArrayList<>();
        for (String[] lib : new String[][] {{"DL4J", "org.deeplearning4j.nn.graph.ComputationGraph"},
                {"ND4J", "org.nd4j.linalg.factory.Nd4j"}, {"Tablesaw", "tech.tablesaw.api.Table"},
                {"XChart", "org.knowm.xchart.XYChart"}}) {
            out.add(lib[0] + " " + jarVersion(lib[1]));
        }
        return String.join(", ", out);
    }

    /** The version in the name of the jar holding {@code className} ("name-1.2.3.jar" → "1.2.3"), else "?". */
    static String jarVersion(String className) {
        try {
            Class<?> c = Class.forName(className, false, MachineFacts.class.getClassLoader());
            CodeSource src = c.getProtectionDomain().getCodeSource();
            String file = src == null ? "" : Path.of(src.getLocation().toURI()).getFileName().toString();
            Matcher m = Pattern.compile("-(\\d[\\w.\\-]*?)\\.jar$").matcher(file);
            return m.find() ? m.group(1) : "?";
        } catch (ReflectiveOperationException | LinkageError | URISyntaxException | RuntimeException e) {
            return "?";
        }
    }

    /** Which ND4J backends the class path offers (loading one would start its native library). */
    static String nd4jBackendOnClassPath() {
        List<String> found = new ArrayList<>();
        if (present("org.nd4j.linalg.jcublas.JCublasBackend")) {
            found.add("nd4j-cuda (GPU)");
        }
        if (present("org.nd4j.linalg.cpu.nativecpu.CpuBackend")) {
            found.add(onednnBuild() ? "nd4j-native (CPU, oneDNN build)" : "nd4j-native (CPU)");
        }
        return found.isEmpty() ? "none found" : String.join(" + ", found);
    }

    private static boolean onednnBuild() {
        return MachineFacts.class.getClassLoader()
                .getResource("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/") != null;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MachineFacts.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
