package org.cxrworkbook.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.train.BaseFile;
import org.cxrworkbook.train.StagedTraining;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The validation and test predictions of a staged run's saved {@code model.zip}, computed right after saving from the
 * cached boundary activations: the frozen part of the saved network is the base the cache was made with, so only the
 * trained top has to run (the same numbers as the whole network on the images, within 1e-4: StagedTrainingTest).
 * They are written to {@code WORK/staged-predictions/} with the SHA-256 of the model file, and notebook 07 uses them
 * while that model file is unchanged instead of running all of DenseNet121 over the films again.
 */
public final class StagedPredictions {

    /** Folder in the work folder. */
    public static final String FOLDER = "staged-predictions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StagedPredictions() {
    }

    /**
     * Writes {@code val.csv}, {@code test.csv} and {@code model.json} (model SHA-256, boundary) for the saved model.
     * A stage-3 model (whole network trained) is not written: its frozen part changed, the cache no longer describes it;
     * earlier files are then removed.
     */
    public static Path write(StagedTraining.Outcome saved, StagedTraining.Features f) {
        Path dir = saved.modelFile().toAbsolutePath().getParent().resolve(FOLDER);
        try {
            if (saved.chosen().stage() == 3) {
                for (String name : List.of("model.json", "val.csv", "test.csv")) {
                    Files.deleteIfExists(dir.resolve(name));
                }
                return dir;
            }
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("model.json"));   // invalid until every file below is written
            ComputationGraph top = new TransferLearningHelper(saved.graph().clone(), f.boundary()).unfrozenGraph();
            Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
            splits.put("val", f.splits().val());
            splits.put("test", f.splits().test());
            Map<String, DataSet> cached = Map.of("val", orEmpty(f.cache().val()), "test", orEmpty(f.cache().test()));
            for (var e : splits.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                INDArray p = StagedTraining.probabilities(top, cached.get(e.getKey()));
                TransferComparison.predictions(e.getValue(), p).write(dir.resolve(e.getKey() + ".csv"));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model_sha256", BaseFile.sha256(saved.modelFile()));
            m.put("model", saved.modelFile().getFileName().toString());
            m.put("computed_from", "cached activations at " + f.boundary() + " through the saved network's top");
            AtomicFiles.writeString(dir.resolve("model.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the staged predictions in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The recorded predictions of {@code split} ("val" or "test") if they were computed for exactly this
     * {@code modelFile} (same SHA-256) and these records in this order; empty otherwise.
     */
    public static Optional<Predictions> read(Path modelFile, String split, List<ImageRecord> records) {
        Path dir = modelFile.toAbsolutePath().getParent().resolve(FOLDER);
        Path manifest = dir.resolve("model.json");
        Path csv = dir.resolve(split + ".csv");
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(csv) || !Files.isRegularFile(modelFile)) {
            return Optional.empty();
        }
        try {
            Map<?, ?> m = JSON.readValue(manifest.toFile(), Map.class);
            if (!BaseFile.sha256(modelFile).equals(m.get("model_sha256"))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Predictions p = Predictions.read(csv);
        return p.imageIndex().equals(records.stream().map(ImageRecord::imageIndex).toList()) ? Optional.of(p)
                : Optional.empty();
    }

    private static DataSet orEmpty(DataSet d) {
        return d == null ? new DataSet() : d;
    }
}
