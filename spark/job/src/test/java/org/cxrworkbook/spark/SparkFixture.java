package org.cxrworkbook.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/** A small phantom archive, a small seeded DenseNet saved as a workbook model, and an embedded local[2] context. */
final class SparkFixture {

    static final int IMAGES = 48;
    static final int SIZE = 64;

    final Path data;
    final Path work;
    final Path model;
    final DataSettings settings;

    private SparkFixture(Path data, Path work, Path model, DataSettings settings) {
        this.data = data;
        this.work = work;
        this.model = model;
        this.settings = settings;
    }

    /** Phantom films at 64², a small DenseNet (seed 5, 3 channels) saved with its data settings in {@code dir/work}. */
    static SparkFixture create(Path dir) {
        Path data = dir.resolve("phantom");
        PhantomGenerator.builder().images(IMAGES).size(SIZE).seed(11).build().generate(data);
        Path work = dir.resolve("work");
        DataSettings settings = new DataSettings(data, SIZE, 3, 8, 0, 0.2, 42);
        settings.save(work);
        ComputationGraph g = DenseNet.build(DenseNetConfig.small().toBuilder().inputSize(SIZE).seed(5).build());
        Path model = work.resolve("model.zip");
        try {
            ModelSerializer.writeModel(g, model.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SparkFixture(data, work, model, settings);
    }

    /** The single-machine path: notebook 07's evaluation iterator and {@link Predictor} over every film of the archive. */
    Predictions singleMachinePredictions() {
        TrainingData td = TrainingData.load(settings);
        List<ImageRecord> all = ChestXrayDataset.load(data).records();
        var it = td.evalIterator(all, "test");
        try {
            return Predictor.predict(Predictor.loadModel(model), it, all);
        } finally {
            it.shutdown();
        }
    }

    /** An embedded context with two task threads (retries added by {@link SparkJobs}). */
    static JavaSparkContext local2() {
        return SparkJobs.start(new SparkJobs.Options("local[2]", "cxr-spark-test", 5, 5, null, false));
    }

    /** A copy of the archive (CSV, lists, images). */
    static Path copyArchive(Path from, Path to) {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
