package org.cxrworkbook.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.StagedTraining;
import org.cxrworkbook.train.TrainingData;
import org.cxrworkbook.train.TrainingRecipe;

/**
 * The single-machine paths the Spark jobs are measured against, timed, printing JSON:
 * <ul>
 *   <li>{@code features DATA BASE WORK SIZE}: staged training's stage 0 ({@link StagedTraining#features()}, what
 *   {@code ./cxr train} runs before stage 1) computing the frozen base's activations into {@code WORK/feature-cache},
 *   with its own timing ({@link StagedTraining#lastComputeTiming()}: decode workers, batch wait, forward, write);</li>
 *   <li>{@code predict MODEL DATA OUT.csv}: notebook 07's evaluation (the model's training settings,
 *   {@link TrainingData#evalIterator}, {@link Predictor#predict}) over every film of the archive (the archive must be
 *   the one the model's data-settings.json names).</li>
 * </ul>
 * Run with the Spark job's classpath: {@code java -cp target/classes:spark/job/target/classes:spark/job/target/spark-lib/*
 * org.cxrworkbook.spark.SingleMachineBaseline features …}.
 */
public final class SingleMachineBaseline {

    private SingleMachineBaseline() {
    }

    public static void main(String[] args) {
        if (args.length == 5 && args[0].equals("features")) {
            System.out.println(SparkMain.json(features(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                    Integer.parseInt(args[4]))));
        } else if (args.length == 4 && args[0].equals("predict")) {
            System.out.println(SparkMain.json(predict(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]))));
        } else {
            System.err.println("usage: SingleMachineBaseline features DATA BASE WORK SIZE | predict MODEL DATA OUT.csv");
            System.exit(2);
        }
    }

    /** Stage 0 of staged training with the classroom settings at {@code size}, timed. */
    static Map<String, Object> features(Path data, Path base, Path work, int size) {
        long t0 = System.nanoTime();
        StagedTraining.Plan plan = StagedTraining.Plan.of(TrainingRecipe.options().dataDir(data).workDir(work)
                .weights(base).imageSize(size).progress(false));
        StagedTraining.Features f = StagedTraining.of(plan).features();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", "single machine: StagedTraining.features() (stage 0 of ./cxr train), "
                + (f.fromCache() ? "cache hit" : "computed"));
        m.put("threads", Runtime.getRuntime().availableProcessors() + " cores; OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        m.put("total_seconds", Math.round(seconds * 1000) / 1000.0);
        m.putAll(StagedTraining.lastComputeTiming());
        return m;
    }

    /** Notebook 07's evaluation over every film of the archive, timed. */
    static Map<String, Object> predict(Path model, Path data, Path out) {
        long t0 = System.nanoTime();
        DataSettings settings = DataSettings.read(model.toAbsolutePath().getParent());
        TrainingData td = TrainingData.load(settings);
        List<ImageRecord> records = ArchiveFilms.read(data, "all", "test").records();
        long t1 = System.nanoTime();
        CxrDataSetIterator it = td.evalIterator(records, "all");
        Predictions p;
        try {
            p = Predictor.predict(Predictor.loadModel(model), it, records);
        } finally {
            it.shutdown();
        }
        long t2 = System.nanoTime();
        p.write(out);
        long t3 = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", "single machine (Predictor, CxrDataSetIterator with 2 decode threads)");
        m.put("films", records.size());
        m.put("prepare_seconds", (t1 - t0) / 1e9);
        m.put("job_seconds", (t2 - t1) / 1e9);
        m.put("images_per_second", records.size() / ((t2 - t1) / 1e9));
        m.put("decode_thread_seconds", it.decodeThreadSeconds());
        m.put("write_seconds", (t3 - t2) / 1e9);
        return m;
    }
}
