package org.cxrworkbook.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.cxrworkbook.data.DataEntryReader;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.NihFiles;
import org.cxrworkbook.data.Parsed;
import org.cxrworkbook.data.Problem;
import org.cxrworkbook.data.SplitSet;
import org.cxrworkbook.image.Standardization;
import org.cxrworkbook.train.FeatureCache;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code spark-features}: the frozen base's activations at the stage boundary for the train, val and test splits,
 * computed on Spark and written as the single-machine path's {@link FeatureCache} — same files, same key (built by
 * {@link StagedTraining#key}) — so staged training on the same settings afterwards finds a cache hit and decodes no
 * image. The driver settles everything first (split, base, key, featurewise statistics, a blank-image check that the
 * network takes the size); executors decode and forward; the driver assembles the cache in a temporary folder and
 * renames it to {@code WORK/feature-cache} only when every film is there, so a failed or partial job never leaves
 * something that looks like a complete cache (the previous cache, if any, stays until the new one replaces it).
 */
public final class ArchiveFeatures {

    private ArchiveFeatures() {
    }

    /** What the command asks for: the staged-training plan (data, size, base, boundary) and the job's cut. */
    public record Request(StagedTraining.Plan plan, int partitions, int batchSize, int failFirstAttemptOf) {
    }

    /** Everything the driver settled before the job. */
    public record Prepared(StagedTraining.Plan plan, SplitSet splits, FeatureCache.Key key, String boundary,
                           long[] boundaryShape, ModelFile base, String startedFrom, Preprocessing preprocessing,
                           String stats, List<Film> films, List<ImageRecord> records) {
    }

    /** What the job did. */
    public record Result(JobFigures figures, Path cacheDir, long bytes, int train, int val, int test, String keySha256) {
    }

    /**
     * Settles split, base, key, statistics and the film list on the driver exactly as the single-machine stage 0 does
     * ({@link StagedTraining#settle}: the split saved in the work folder, the base loaded with its head order, the same
     * key); refusals happen here, before Spark starts. Notes (e.g. a split saved for other settings) go to {@code log}.
     */
    public static Prepared prepare(Request r, Consumer<String> log) {
        StagedTraining.Plan plan = r.plan();
        // the cache is staged beside WORK/feature-cache and moved there at commit: the work folder must take files
        FeatureCache.requireWritable(plan.workDir(), "--out");
        StagedTraining.Settled settled = StagedTraining.of(plan, log).settle(log);
        SplitSet splits = settled.splits();
        ModelFile base = ModelFile.of(plan.weights() == null ? Path.of("(random init)") : plan.weights(),
                bytes(settled.full()));
        int size = plan.data().imageSize();
        base.checkFits(size, settled.boundary(), 0);
        long[] shape = base.outputShape(size, settled.boundary());
        // fits the featurewise statistics as stage 0 does (on the saved split's training images)
        TrainingData data = TrainingData.load(plan.data(), plan.workDir());
        Preprocessing pre = Preprocessing.of(size, plan.data().channels(), Standardization.courseDefault(), data.stats(),
                "train", "val", "test");
        List<Film> films = new ArrayList<>();
        List<ImageRecord> records = new ArrayList<>();
        for (String split : List.of("train", "val", "test")) {
            for (ImageRecord rec : records(splits, split)) {
                films.add(new Film(films.size(), 0, rec.imageIndex(), split,
                        settled.dataset().imagePath(rec).toAbsolutePath().toString()));
                records.add(rec);
            }
        }
        return new Prepared(plan, splits, settled.key(), settled.boundary(), shape, base, settled.startedFrom(), pre,
                data.stats().toString(), films, records);
    }

    /** {@link #prepare(Request, Consumer)} with notes to standard error. */
    public static Prepared prepare(Request r) {
        return prepare(r, System.err::println);
    }

    /** Runs the prepared job and commits the cache. */
    public static Result run(JavaSparkContext sc, Request r, Prepared p) {
        ArchiveForward.Outcome outcome = ArchiveForward.run(sc, p.films(), new ArchiveForward.Job(p.base(), p.boundary(),
                p.preprocessing(), r.partitions(), r.batchSize(), r.failFirstAttemptOf()));
        if (!outcome.missing().isEmpty()) {
            List<Problem> problems = new ArrayList<>();
            problems.add(new Problem(new FeatureCache(p.plan().workDir()).dir().toString(), 0, outcome.missing().size()
                    + " of " + p.films().size() + " films could not be read by the executors, so no feature cache was "
                    + "written (a cache must hold every film of its key); the others were computed"));
            problems.addAll(located(p, outcome.missing()));
            throw new DataException(problems);
        }
        long t0 = System.nanoTime();
        int nTrain = p.splits().train().size();
        int nVal = p.splits().val().size();
        int nTest = p.splits().test().size();
        DataSet train = dataSet(outcome.results(), p, 0, nTrain);
        DataSet val = nVal == 0 ? null : dataSet(outcome.results(), p, nTrain, nTrain + nVal);
        DataSet test = nTest == 0 ? null : dataSet(outcome.results(), p, nTrain + nVal, nTrain + nVal + nTest);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("featurewise_stats", p.stats());
        info.put("base", p.startedFrom());
        info.put("seconds", outcome.figures().jobSeconds());
        info.put("computed_by", "spark-features on " + outcome.figures().master() + ", " + outcome.figures().partitions()
                + " partitions");
        Path cacheDir = commit(p.plan().workDir(), p.key(), train, val, test, info);
        long bytes = folderBytes(cacheDir);
        return new Result(outcome.figures().withWrite((System.nanoTime() - t0) / 1e9), cacheDir, bytes, nTrain, nVal,
                nTest, p.key().sha256());
    }

    /**
     * The films an executor could not read, each located by its {@code Data_Entry} row as {@code inspect} does (the
     * CSV is parsed again only here, on failure); a folder without a Data_Entry CSV (the course layout) names the image.
     */
    private static List<Problem> located(Prepared p, List<FilmResult> missing) {
        Path entry = NihFiles.dataEntry(p.plan().data().dataDir());
        Map<String, Long> rows = new java.util.HashMap<>();
        if (Files.isRegularFile(entry)) {
            Parsed<ImageRecord> parsed = DataEntryReader.read(entry);
            for (int i = 0; i < parsed.items().size(); i++) {
                rows.put(parsed.items().get(i).imageIndex(), parsed.rows().get(i));
            }
        }
        List<Problem> out = new ArrayList<>();
        for (FilmResult m : missing) {
            String image = p.films().get(m.position()).imageIndex();
            Long row = rows.get(image);
            out.add(row == null ? new Problem(image, 0, m.problem())
                    : new Problem(entry.getFileName().toString(), row, m.problem()));
        }
        return out;
    }

    private static List<ImageRecord> records(SplitSet s, String split) {
        return switch (split) {
            case "train" -> s.train();
            case "val" -> s.val();
            default -> s.test();
        };
    }

    /** Rows {@code from..to} of the results as a DataSet: activations in the boundary's shape, multi-hot labels. */
    private static DataSet dataSet(List<FilmResult> results, Prepared p, int from, int to) {
        int n = to - from;
        long[] one = p.boundaryShape();
        int width = (int) (java.util.Arrays.stream(one).skip(1).reduce(1, (a, b) -> a * b));
        float[] x = new float[n * width];
        float[] y = new float[n * Finding.COUNT];
        for (int i = 0; i < n; i++) {
            FilmResult fr = results.get(from + i);
            if (fr.values().length != width) {
                throw new IllegalStateException("film " + p.films().get(from + i).imageIndex() + " has " + fr.values().length
                        + " values, expected " + width);
            }
            System.arraycopy(fr.values(), 0, x, i * width, width);
            System.arraycopy(p.records().get(from + i).multiHot(), 0, y, i * Finding.COUNT, Finding.COUNT);
        }
        long[] shape = one.clone();
        shape[0] = n;
        INDArray features = Nd4j.create(x, shape, 'c').castTo(DataType.FLOAT);
        return new DataSet(features, Nd4j.create(y, new long[] {n, Finding.COUNT}, 'c'));
    }

    /**
     * Writes the cache into a temporary folder beside {@code WORK/feature-cache} and renames it into place; the old
     * cache, if any, is moved aside first and deleted after. An interruption at any point leaves either the old
     * complete cache, or none, or the new complete one — never a partial {@code feature-cache}.
     */
    static Path commit(Path work, FeatureCache.Key key, DataSet train, DataSet val, DataSet test, Map<String, Object> info) {
        try {
            Files.createDirectories(work);
            Path staging = Files.createTempDirectory(work, ".feature-cache.spark-");
            try {
                FeatureCache tmp = new FeatureCache(staging);
                tmp.write(key, train, val, test, info);
                Path target = new FeatureCache(work).dir();
                Path old = null;
                if (Files.exists(target)) {
                    old = work.resolve(".feature-cache.old-" + System.nanoTime());
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(tmp.dir(), target, StandardCopyOption.ATOMIC_MOVE);
                if (old != null) {
                    deleteTree(old);
                }
                return target;
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the feature cache in " + work + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ComputationGraph g) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(g, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long folderBytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
