package org.cxrworkbook.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.HeadOrder;
import org.cxrworkbook.model.KerasWeights;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a model's first weights come from: a Keras HDF5 file (ImageNet/course weights), a DL4J zip of
 * our own (e.g. the phantom-pretrained base), or nothing (training from scratch).
 */
public final class StartingWeights {

    /** File name of the workbook's phantom-pretrained small-DenseNet base, looked up in data/weights/ and the work dir. */
    public static final String PHANTOM_BASE = "densenet-phantom-base.zip";
    /** File name of the workbook's phantom-pretrained DenseNet121 base (float16 on disk, see {@link BaseFile}). */
    public static final String PHANTOM_BASE_121 = "densenet121-phantom-base.zip";

    private StartingWeights() {
    }

    /** The phantom-pretrained small-DenseNet base if present under {@code dirs} (first match), else empty. */
    public static Optional<Path> findPhantomBase(Path... dirs) {
        return find(PHANTOM_BASE, dirs);
    }

    /** The phantom-pretrained base for the model (small DenseNet or DenseNet121) under {@code dirs}, else empty. */
    public static Optional<Path> findPhantomBase(boolean small, Path... dirs) {
        return find(small ? PHANTOM_BASE : PHANTOM_BASE_121, dirs);
    }

    private static Optional<Path> find(String name, Path... dirs) {
        return Arrays.stream(dirs).map(d -> d.resolve(name)).filter(Files::isRegularFile).findFirst();
    }

    /**
     * Loads {@code file} into {@code graph}: {@code .h5}/{@code .hdf5} through {@link KerasWeights}, {@code .zip}
     * (a DL4J model, float32 or a float16 {@link BaseFile}) layer by layer by name: every layer of the base part must
     * be present with the same shapes, else the file is refused listing the mismatched layers; the head
     * ({@code predictions}) is copied too when its shape fits. Returns a one-line report.
     */
    public static String load(ComputationGraph graph, Path file) {
        return load(graph, file, false);
    }

    /**
     * As {@link #load(ComputationGraph, Path)}; with {@code newHead} the head keeps the graph's fresh initialisation
     * (transfer learning's stage 1 trains a new head), otherwise a fitting head is copied from the file.
     */
    public static String load(ComputationGraph graph, Path file, boolean newHead) {
        return load(graph, file, newHead, null);
    }

    /**
     * As {@link #load(ComputationGraph, Path, boolean)}, with the output order of a Keras file's 14-way head
     * ({@code null}: assumed from the file name, {@link HeadOrder#assumedFor}); the importer reorders the head's kernel
     * columns and bias into the workbook's alphabetical order, and the report ends with the line saying which order
     * it took. A head order for a {@code .zip} (always alphabetical) is refused.
     */
    public static String load(ComputationGraph graph, Path file, boolean newHead, HeadOrder headOrder) {
        String name = file.getFileName().toString().toLowerCase();
        if (!Files.isRegularFile(file)) {
            throw new TrainingException("weights file " + file + " does not exist");
        }
        if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            KerasWeights.ImportReport r = KerasWeights.load(graph, file, headOrder);
            return "imported " + r.imported().size() + " layers from " + file
                    + (r.headOrder() == null ? "" : "; " + r.headOrder());
        }
        if (headOrder != null) {
            throw new TrainingException("head order " + headOrder.name() + " given for " + file + ": a head order applies "
                    + "to Keras .h5/.hdf5 weights; a workbook .zip is already in alphabetical order");
        }
        if (name.endsWith(".zip")) {
            ComputationGraph source = BaseFile.read(file);
            List<String> copied = new ArrayList<>(BaseFile.copyStrict(source, graph, file, DenseNet.HEAD));
            if (!newHead && graph.getLayer(DenseNet.HEAD) != null && source.getLayer(DenseNet.HEAD) != null) {
                try {
                    copied.addAll(copyMatching(source, graph, List.of(DenseNet.HEAD)));
                } catch (TrainingException e) {
                    // a head of another shape (other classes): the graph keeps its fresh head
                }
            }
            return "copied " + copied.size() + " layers from " + file + (BaseFile.isBase(file) ? " (float16 base)" : "")
                    + (newHead ? ", new head" : "");
        }
        throw new TrainingException("weights file " + file + " is neither Keras HDF5 (.h5/.hdf5) nor a DL4J model (.zip)");
    }

    /** As {@link #copyMatching(ComputationGraph, ComputationGraph)} restricted to the named layers. */
    static List<String> copyMatching(ComputationGraph from, ComputationGraph to, List<String> only) {
        List<String> copied = new ArrayList<>();
        for (String name : only) {
            Layer source = from.getConfiguration().getVertices().containsKey(name) ? from.getLayer(name) : null;
            Layer target = to.getConfiguration().getVertices().containsKey(name) ? to.getLayer(name) : null;
            if (source == null || target == null) {
                continue;
            }
            Map<String, INDArray> s = source.paramTable();
            Map<String, INDArray> t = target.paramTable();
            if (s.keySet().equals(t.keySet())
                    && t.keySet().stream().allMatch(k -> Arrays.equals(s.get(k).shape(), t.get(k).shape()))) {
                t.forEach((k, v) -> v.assign(s.get(k).castTo(v.dataType())));
                copied.add(name);
            }
        }
        if (copied.isEmpty()) {
            throw new TrainingException("none of " + only + " matches");
        }
        return copied;
    }

    /**
     * Copies the parameters of every layer of {@code from} into the layer of {@code to} with the same name
     * when all parameter shapes agree; returns the names copied. Fails if no layer matches.
     */
    public static List<String> copyMatching(ComputationGraph from, ComputationGraph to) {
        List<String> copied = new ArrayList<>();
        for (Layer target : to.getLayers()) {
            String name = target.getConfig().getLayerName();
            Layer source = from.getConfiguration().getVertices().containsKey(name) ? from.getLayer(name) : null;
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
