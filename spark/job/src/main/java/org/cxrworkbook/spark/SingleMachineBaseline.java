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
import org.cxrworkbook.train.TrainingData;

/**
 * The single-machine path the Spark jobs are measured against: notebook 07's evaluation (the model's training
 * settings, {@link TrainingData#evalIterator}, {@link Predictor#predict}) over every film of the archive, timed.
 * Usage: {@code java … org.cxrworkbook.spark.SingleMachineBaseline MODEL DATA OUT.csv} (the archive must be the one
 * the model's data-settings.json names, whose image loader it uses).
 */
public final class SingleMachineBaseline {

    private SingleMachineBaseline() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path out = Path.of(args[2]);
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
        m.put("master", "single machine (Predictor, CxrDataSetIterator with 2 decode threads)");
        m.put("films", records.size());
        m.put("prepare_seconds", (t1 - t0) / 1e9);
        m.put("job_seconds", (t2 - t1) / 1e9);
        m.put("images_per_second", records.size() / ((t2 - t1) / 1e9));
        m.put("write_seconds", (t3 - t2) / 1e9);
        System.out.println(SparkMain.json(m));
    }
}
