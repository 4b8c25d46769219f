package org.nd4j.nativeblas;

/**
 * Compatibility shim so that DL4J 1.0.0-M2.1's oneDNN layer helpers switch on.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection and calls the public static
 * {@code getInstance()} and the public instance method {@code isUseMKLDNN()} (checked with
 * {@code javap -c}). M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method
 * {@code isUseONEDNN()}, so without this class the lookup fails and every helper silently stays off.
 * This class exists only under the old name and delegates to the new one; it is hand-written because
 * DL4J offers no configuration switch for the stale name. The delegation is reflective so that the
 * project still compiles under the {@code cuda} profile, where the CPU bindings are absent.
 *
 * <p>When it can go: as soon as the DL4J release in use looks the environment up under its new name (or offers a
 * switch); {@code OneDnnHelpersTest} then still passes without this class, which is the check to run.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old-name view of the native environment, answering only what the helper check asks. */
    public static final class Environment {

        private static final String NEW_NAME = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The single instance, as the native class exposes it. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether libnd4j was built with oneDNN and uses it (delegates to {@code isUseONEDNN()}). */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName(NEW_NAME);
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
