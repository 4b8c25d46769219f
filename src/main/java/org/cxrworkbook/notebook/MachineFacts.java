package org.cxrworkbook.notebook;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

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
