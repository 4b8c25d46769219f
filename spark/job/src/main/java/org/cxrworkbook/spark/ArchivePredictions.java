package org.cxrworkbook.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.Problem;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.image.Standardization;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;

/**
 * {@code spark-predict}: a trained model's probabilities for every film of an archive (or one official split),
 * preprocessed as the single-machine evaluation does (size and channels of the model's training, featurewise
 * statistics fitted on its training images), written as the workbook's {@code predictions.csv} — to a temporary file
 * renamed at the end, so a failed job leaves no half-written predictions.
 */
public final class ArchivePredictions {

    /** The model's output vertex (the 14 sigmoid probabilities). */
    public static final String OUTPUT = "predictions";

    private ArchivePredictions() {
    }

    /** What the command asks for. */
    public record Request(Path model, Path settings, Path data, String split, Path out, int partitions, int batchSize,
                          int failFirstAttemptOf) {
    }

    /** What the job did: figures, films that could not be read (with their rows), the file written. */
    public record Result(JobFigures figures, List<Problem> missing, Path file, int rows) {
    }

    /**
     * Prepares on the driver (settings, statistics, model check, film list — any refusal happens here, before a task
     * starts), runs the job and writes the CSV.
     */
    public static Result run(JavaSparkContext sc, Request r) {
        return run(sc, r, prepare(r));
    }

    /** Runs the job prepared by {@link #prepare(Request)} and writes the CSV. */
    public static Result run(JavaSparkContext sc, Request r, Prepared p) {
        ArchiveForward.Outcome outcome = ArchiveForward.run(sc, p.archive.films(),
                new ArchiveForward.Job(p.model, p.vertex, p.preprocessing, r.partitions(), r.batchSize(), r.failFirstAttemptOf()));
        long t0 = System.nanoTime();
        List<String> images = new ArrayList<>();
        List<String> patients = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        List<Problem> missing = new ArrayList<>();
        for (FilmResult fr : outcome.results()) {
            if (!fr.ok()) {
                missing.add(p.archive.problem(fr));
                continue;
            }
            ImageRecord rec = p.archive.records().get(fr.position());
            images.add(rec.imageIndex());
            patients.add(rec.patientId());
            float[] m = rec.multiHot();
            int[] y = new int[Finding.COUNT];
            double[] q = new double[Finding.COUNT];
            for (int k = 0; k < Finding.COUNT; k++) {
                y[k] = (int) m[k];
                q[k] = fr.values()[k];
            }
            labels.add(y);
            probs.add(q);
        }
        if (images.isEmpty()) {
            throw new IllegalStateException("none of the " + p.archive.films().size() + " films could be read (first: "
                    + missing.get(0) + "): is " + r.data() + " on a path every executor sees?");
        }
        Predictions predictions = Predictions.of(images, patients, labels.toArray(int[][]::new), probs.toArray(double[][]::new));
        Path file = commit(predictions, r.out());
        return new Result(outcome.figures().withWrite((System.nanoTime() - t0) / 1e9), missing, file, images.size());
    }

    /** Everything the driver settles before the job. */
    public record Prepared(ArchiveFilms archive, ModelFile model, String vertex, Preprocessing preprocessing) {
    }

    /** Settles everything on the driver — settings, model check, film list, statistics — without Spark. */
    public static Prepared prepare(Request r) {
        DataSettings settings = settings(r);
        ModelFile model = ModelFile.read(r.model());
        if (model.channels() != settings.channels()) {
            throw new IllegalArgumentException(r.model() + " takes " + model.channels() + " channel(s) but its settings say "
                    + settings.channels());
        }
        model.checkFits(settings.imageSize(), OUTPUT, Finding.COUNT);
        ArchiveFilms archive = ArchiveFilms.read(r.data(), r.split(), "test");
        // The statistics the single-machine evaluation uses: fitted on the model's own training split.
        TrainingData training = TrainingData.load(settings);
        Preprocessing pre = Preprocessing.of(settings.imageSize(), settings.channels(), Standardization.courseDefault(),
                training.stats(), "test");
        return new Prepared(archive, model, OUTPUT, pre);
    }

    private static DataSettings settings(Request r) {
        Path dir = r.settings() != null ? r.settings() : r.model().toAbsolutePath().getParent();
        if (r.settings() != null && Files.isRegularFile(r.settings())) {
            dir = r.settings().toAbsolutePath().getParent();
            if (!r.settings().getFileName().toString().equals(DataSettings.FILE)) {
                throw new IllegalArgumentException("--settings must name a " + DataSettings.FILE + " (or its folder), not "
                        + r.settings());
            }
        }
        return DataSettings.read(dir);
    }

    /** Writes the CSV beside its final name and renames it into place. */
    static Path commit(Predictions predictions, Path out) {
        Path target = out.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
            try {
                predictions.write(tmp);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
