package org.cxrworkbook.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.cxrworkbook.data.AtomicFiles;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/** The per-epoch record of a training run, with the best epoch and why training stopped. */
public final class TrainingHistory {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<EpochResult> epochs;
    private final String stopReason;

    /** A history from its epochs (in order) and the reason training ended. */
    public TrainingHistory(List<EpochResult> epochs, String stopReason) {
        this.epochs = List.copyOf(epochs);
        this.stopReason = stopReason;
    }

    public List<EpochResult> epochs() {
        return epochs;
    }

    public int size() {
        return epochs.size();
    }

    public EpochResult last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch trained yet");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Why training ended ("completed 5 epochs", "early stopping after ...", ...). */
    public String stopReason() {
        return stopReason;
    }

    /** The epoch (1-based number) with the highest validation mean AUC, if any epoch had one. */
    public OptionalInt bestEpoch() {
        int best = -1;
        double bestAuc = Double.NEGATIVE_INFINITY;
        for (EpochResult e : epochs) {
            if (Double.isFinite(e.valMeanAuc()) && e.valMeanAuc() > bestAuc) {
                bestAuc = e.valMeanAuc();
                best = e.epoch();
            }
        }
        return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** The best validation mean AUC, NaN if none. */
    public double bestValMeanAuc() {
        return epochs.stream().mapToDouble(EpochResult::valMeanAuc).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** JSON-friendly map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        epochs.forEach(e -> list.add(e.toMap()));
        m.put("epochs", list);
        m.put("bestEpoch", bestEpoch().isPresent() ? bestEpoch().getAsInt() : null);
        m.put("stopReason", stopReason);
        return m;
    }

    /** Inverse of {@link #toMap()}. */
    public static TrainingHistory fromMap(Map<?, ?> m) {
        List<EpochResult> list = new ArrayList<>();
        for (Object o : (List<?>) m.get("epochs")) {
            list.add(EpochResult.fromMap((Map<?, ?>) o));
        }
        Object reason = m.get("stopReason");
        return new TrainingHistory(list, reason == null ? "" : reason.toString());
    }

    /** Writes the history as JSON. */
    public Path save(Path file) {
        String json;
        try {
            json = JSON.writeValueAsString(toMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training history " + file, e);
        }
        return AtomicFiles.writeString(file, json);
    }

    /** Reads a history written by {@link #save(Path)}. */
    public static TrainingHistory load(Path file) {
        try {
            return fromMap(JSON.readValue(file.toFile(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training history " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%5s %10s %10s %8s %9s %7s %7s%n",
                "epoch", "train_loss", "val_loss", "val_auc", "lr", "img/s", "sec"));
        for (EpochResult e : epochs) {
            sb.append(String.format("%5d %10.4f %10.4f %8.4f %9.2e %7.2f %7.1f%n", e.epoch(), e.trainLoss(),
                    e.valLoss(), e.valMeanAuc(), e.learningRate(), e.imagesPerSecond(), e.seconds()));
        }
        return sb.append(stopReason).toString();
    }
}
