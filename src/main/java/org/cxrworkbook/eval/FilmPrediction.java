package org.cxrworkbook.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.image.CxrDataSetIterator;
import org.cxrworkbook.image.ImageCache;
import org.cxrworkbook.image.ImageLoader;
import org.cxrworkbook.image.PngReader;
import org.cxrworkbook.image.Standardization;
import org.cxrworkbook.train.DataSettings;
import org.cxrworkbook.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One film through a trained workbook model ({@code model.zip} with its {@code data-settings.json}): the 14
 * findings' probabilities in canonical order, the film preprocessed exactly as the model's test films were — the
 * same iterator pipeline (decode to grey, resize to the saved size, replicate to the model's channels,
 * standardise with the featurewise statistics of the model's training films). Keeps the model and that input
 * ({@code [1, channels, size, size]}) for an explanation of the same film.
 */
public record FilmPrediction(Path image, Path model, Map<Finding, Double> probabilities, String preprocessing,
                             ComputationGraph graph, INDArray input) {

    /** Predicts {@code imageFile} with {@code modelFile}; bad input is refused naming the file and what is wrong. */
    public static FilmPrediction of(Path modelFile, Path imageFile) {
        if (!Files.isRegularFile(imageFile)) {
            throw new DataException(imageFile.toString(), 0, Files.isDirectory(imageFile)
                    ? "is a folder, not an image file" : "image file not found");
        }
        PngReader.read(imageFile); // decodes once before any model work: a corrupt or non-image file is named now
        Path dir = modelFile.toAbsolutePath().getParent();
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("no model at " + modelFile.toAbsolutePath()
                    + ": give the model.zip that notebook 06 or ./cxr train saved");
        }
        if (dir == null || !Files.isRegularFile(dir.resolve(DataSettings.FILE))) {
            throw new IllegalArgumentException("no " + DataSettings.FILE + " beside " + modelFile + ": predict "
                    + "preprocesses a film as the model's test films were (image size, channels, featurewise statistics "
                    + "of its training films), which notebook 06 and ./cxr train save next to model.zip");
        }
        ComputationGraph graph = Predictor.loadModel(modelFile);
        DataSettings settings = DataSettings.read(dir);
        int channels = Predictor.inputChannels(graph);
        if (channels != settings.channels()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s takes %d-channel films but its %s says "
                    + "%d: they do not belong together", modelFile, channels, DataSettings.FILE, settings.channels()));
        }
        if (!Files.isDirectory(settings.dataDir())) {
            throw new IllegalArgumentException("the model's featurewise statistics come from its training films in "
                    + settings.dataDir() + " (" + dir.resolve(DataSettings.FILE) + "), and that folder is not there");
        }
        TrainingData training = TrainingData.load(settings, dir);
        ImageRecord film = ImageRecord.of(imageFile.getFileName().toString(), "film", Set.of());
        ImageLoader loader = new ImageLoader(r -> imageFile, settings.imageSize(), ImageCache.none());
        CxrDataSetIterator it = CxrDataSetIterator.builder(List.of(film), loader).name("predict").batchSize(1)
                .channels(channels).shuffle(false)
                .standardizer(Standardization.courseDefault().standardizer("test", training.stats())).build();
        Predictions p = Predictor.predict(graph, it, List.of(film)); // the iterator stops its threads after the film
        INDArray input = it.firstBatch().getFeatures();               // the same film as the model saw it, [1, c, s, s]
        Map<Finding, Double> probabilities = new EnumMap<>(Finding.class);
        for (Finding f : Finding.all()) {
            probabilities.put(f, p.probabilities(f)[0]);
        }
        String prep = String.format(Locale.ROOT, "%d² × %d channel(s), featurewise statistics of %d training films %s",
                settings.imageSize(), channels, training.stats().images(), training.stats());
        return new FilmPrediction(imageFile, modelFile, Map.copyOf(probabilities), prep, graph, input);
    }

    /** The findings by probability, highest first. */
    public List<Map.Entry<Finding, Double>> ranked() {
        return probabilities.entrySet().stream()
                .sorted(Map.Entry.<Finding, Double>comparingByValue().reversed()).toList();
    }

    /** One line per finding in canonical order, probability to 3 decimals. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        for (Finding f : Finding.all()) {
            sb.append(String.format(Locale.ROOT, "%-20s %.3f%n", f.label(), probabilities.get(f)));
        }
        return sb.toString();
    }
}
