package org.cxrworkbook.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training epoch produced: mean training loss, validation loss and mean validation AUC
 * (NaN without validation data), the learning rate used, throughput and wall time.
 */
public record EpochResult(int epoch, double trainLoss, double valLoss, double valMeanAuc,
                          double learningRate, double imagesPerSecond, double seconds, int batches) {

    /** JSON-friendly map; NaN becomes null. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("trainLoss", finite(trainLoss));
        m.put("valLoss", finite(valLoss));
        m.put("valMeanAuc", finite(valMeanAuc));
        m.put("learningRate", learningRate);
        m.put("imagesPerSecond", finite(imagesPerSecond));
        m.put("seconds", seconds);
        m.put("batches", batches);
        return m;
    }

    /** Inverse of {@link #toMap()}. */
    public static EpochResult fromMap(Map<?, ?> m) {
        return new EpochResult(((Number) m.get("epoch")).intValue(), num(m.get("trainLoss")), num(m.get("valLoss")),
                num(m.get("valMeanAuc")), num(m.get("learningRate")), num(m.get("imagesPerSecond")),
                num(m.get("seconds")), ((Number) m.get("batches")).intValue());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
