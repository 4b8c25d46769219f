package org.cxrworkbook.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.cxrworkbook.model.OneDnnHelpers;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * One network per executor thread: a {@link ComputationGraph} is not thread-safe, so each task thread restores its own
 * copy from the broadcast model bytes the first time it needs it and keeps it for later tasks of the same job (Spark
 * reuses its task threads). Keyed by the model's SHA-256 so a second model in the same JVM gets its own copy.
 */
public final class ExecutorNetworks {

    private static final ThreadLocal<Map<String, ComputationGraph>> NETWORKS = ThreadLocal.withInitial(HashMap::new);

    private ExecutorNetworks() {
    }

    /** This thread's network for the model with {@code sha256}, restored from {@code zip} (ModelSerializer bytes) once. */
    public static ComputationGraph forThread(String sha256, byte[] zip) {
        return NETWORKS.get().computeIfAbsent(sha256, k -> restore(zip));
    }

    /** This thread's network for the model with {@code sha256} if it restored one, else null (nothing restored). */
    public static ComputationGraph restoredOrNull(String sha256) {
        return NETWORKS.get().get(sha256);
    }

    /** Networks restored by this thread so far (for tests and the job's figures). */
    public static int restoredOnThisThread() {
        return NETWORKS.get().size();
    }

    /**
     * Restores the graph with DL4J's oneDNN layer helpers allowed, as {@code DenseNet.build} does in the workbook: an
     * executor started by spark-submit has no {@code -Dorg.eclipse.deeplearning4j.helpers.disable=false} unless its
     * configuration sets it, and without the helpers DenseNet121 ran ~10× slower (0.97 against 9.6 films/s).
     */
    static ComputationGraph restore(byte[] zip) {
        OneDnnHelpers.enable();
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the broadcast model (" + zip.length + " bytes)", e);
        }
    }
}
