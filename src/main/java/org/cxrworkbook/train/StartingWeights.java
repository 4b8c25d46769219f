package org.cxrworkbook.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.model.KerasWeights;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a model's first weights come from: a Keras HDF5 file (ImageNet/course weights), a DL4J zip of
 * our own (e.g. the phantom-pretrained base), or nothing (training from scratch).
 */
public final class StartingWeights {

    /** File name of the workbook's own phantom-pretrained base, looked up in data/weights/ and the work dir. */
    public static final String PHANTOM_BASE = "densenet-phantom-base.zip";

    private StartingWeights() {
    }

    /** The phantom-pretrained base if present under {@code dirs} (first match), else empty. */
    public static Optional<Path> findPhantomBase(Path... dirs) {
        return Arrays.stream(dirs).map(d -> d.resolve(PHANTOM_BASE)).filter(Files::isRegularFile).findFirst();
    }

    /**
     * Loads {@code file} into {@code graph}: {@code .h5}/{@code .hdf5} through {@link KerasWeights}, {@code .zip}
     * by copying every layer whose name and parameter shapes match. Returns a one-line report.
     */
    public static String load(ComputationGraph graph, Path file) {
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            KerasWeights.ImportReport r = KerasWeights.load(graph, file);
            return "imported " + r.imported().size() + " layers from " + file;
        }
        if (name.endsWith(".zip")) {
            try {
                ComputationGraph source = ModelSerializer.restoreComputationGraph(file.toFile(), false);
                List<String> copied = copyMatching(source, graph);
                return "copied " + copied.size() + " layers from " + file;
            } catch (IOException | RuntimeException e) {
                throw new TrainingException("cannot read model " + file + ": " + e.getMessage(), e);
            }
        }
        throw new TrainingException("weights file " + file + " is neither Keras HDF5 (.h5/.hdf5) nor a DL4J model (.zip)");
    }

    /**
     * Copies the parameters of every layer of {@code from} into the layer of {@code to} with the same name
     * when all parameter shapes agree; returns the names copied. Fails if no layer matches.
     */
    public static List<String> copyMatching(ComputationGraph from, ComputationGraph to) {
        List<String> copied = new ArrayList<>();
        for (Layer target : to.getLayers()) {
            String name = target.getConfig().getLayerName();
            Layer source = from.getLayer(name);
            if (source == null || target.numParams() == 0) {
                continue;
            }
            Map<String, INDArray> s = source.paramTable();
            Map<String, INDArray> t = target.paramTable();
            boolean same = s.keySet().equals(t.keySet())
                    && t.keySet().stream().allMatch(k -> Arrays.equals(s.get(k).shape(), t.get(k).shape()));
            if (same) {
                t.forEach((k, v) -> v.assign(s.get(k)));
                copied.add(name);
            }
        }
        if (copied.isEmpty()) {
            throw new TrainingException("no layer of the saved model matches the network (different architecture?)");
        }
        return copied;
    }
}
