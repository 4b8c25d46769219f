package org.cxrworkbook.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything besides the network needed to continue a run exactly: epochs completed, history,
 * learning rate for the next epoch, plateau counters, the data shape the model was trained on, and
 * provenance (configuration, seed, data files with SHA-256 and modification time).
 */
public record CheckpointState(int epochsCompleted, TrainingHistory history, double nextLearningRate,
                              double bestAuc, int bestEpoch, int epochsSinceImprovement, int epochsSinceReduce,
                              long[] inputShape, long labelWidth, Map<String, Object> config,
                              List<Map<String, Object>> dataFiles, String modelSha256, String savedAt) {

    /** JSON-friendly map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "cxr-workbook checkpoint 1");
        m.put("epochsCompleted", epochsCompleted);
        m.put("nextLearningRate", nextLearningRate);
        m.put("bestAuc", Double.isFinite(bestAuc) ? bestAuc : null);
        m.put("bestEpoch", bestEpoch);
        m.put("epochsSinceImprovement", epochsSinceImprovement);
        m.put("epochsSinceReduce", epochsSinceReduce);
        List<Long> shape = new ArrayList<>();
        for (long s : inputShape) {
            shape.add(s);
        }
        m.put("inputShape", shape);
        m.put("labelWidth", labelWidth);
        m.put("seed", config.get("seed"));
        m.put("config", config);
        m.put("dataFiles", dataFiles);
        m.put("modelSha256", modelSha256);
        m.put("savedAt", savedAt);
        m.put("history", history.toMap());
        return m;
    }

    /** Inverse of {@link #toMap()}. */
    @SuppressWarnings("unchecked")
    public static CheckpointState fromMap(Map<?, ?> m) {
        List<?> shape = (List<?>) m.get("inputShape");
        long[] in = new long[shape.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = ((Number) shape.get(i)).longValue();
        }
        Object best = m.get("bestAuc");
        return new CheckpointState(((Number) m.get("epochsCompleted")).intValue(),
                TrainingHistory.fromMap((Map<?, ?>) m.get("history")),
                ((Number) m.get("nextLearningRate")).doubleValue(),
                best == null ? Double.NaN : ((Number) best).doubleValue(),
                ((Number) m.get("bestEpoch")).intValue(),
                ((Number) m.get("epochsSinceImprovement")).intValue(),
                ((Number) m.get("epochsSinceReduce")).intValue(),
                in, ((Number) m.get("labelWidth")).longValue(),
                new LinkedHashMap<>((Map<String, Object>) m.get("config")),
                (List<Map<String, Object>>) m.get("dataFiles"),
                (String) m.get("modelSha256"), (String) m.get("savedAt"));
    }

    /** A copy with the model's SHA-256 and save time filled in. */
    CheckpointState withModel(String sha256, String time) {
        return new CheckpointState(epochsCompleted, history, nextLearningRate, bestAuc, bestEpoch,
                epochsSinceImprovement, epochsSinceReduce, inputShape, labelWidth, config, dataFiles, sha256, time);
    }
}
