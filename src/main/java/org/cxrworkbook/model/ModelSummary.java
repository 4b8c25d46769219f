package org.cxrworkbook.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/** Keras-style summary of a ComputationGraph: one row per vertex (name, type, output shape, parameters) and totals. */
public final class ModelSummary {

    /** One vertex of the graph. {@code outputShape} is NCHW or [N, features] with -1 for the batch. */
    public record Row(String name, String type, long[] outputShape, long params, long trainableParams, List<String> inputs) {
    }

    private final List<Row> rows;
    private final int layers;
    private final int vertices;

    private ModelSummary(List<Row> rows, int layers, int vertices) {
        this.rows = List.copyOf(rows);
        this.layers = layers;
        this.vertices = vertices;
    }

    /** Summarises an initialised single-input graph fed with {@code input} (e.g. {@link DenseNetConfig#inputType()}). */
    public static ModelSummary of(ComputationGraph graph, InputType input) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        List<String> order = new ArrayList<>();
        int[] topo = graph.topologicalSortOrder();
        for (int i : topo) {
            order.add(graph.getVertices()[i].getVertexName());
        }
        List<Row> rows = new ArrayList<>();
        for (String name : order) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex v = graph.getVertex(name);
            long params = 0;
            long trainable = 0;
            String type;
            if (v.isInputVertex()) {
                type = "Input";
            } else if (v.hasLayer()) {
                Layer layer = v.getLayer();
                params = layer.numParams();
                trainable = trainableParams(layer);
                type = layerTypeName(conf.getVertices().get(name), layer);
            } else {
                type = v.getClass().getSimpleName();
            }
            InputType t = v.isInputVertex() ? input : types.get(name);
            List<String> inputs = conf.getVertexInputs().getOrDefault(name, List.of());
            rows.add(new Row(name, type, shapeOf(t), params, trainable, List.copyOf(inputs)));
        }
        return new ModelSummary(rows, graph.getLayers().length, graph.getVertices().length);
    }

    private static String layerTypeName(GraphVertex confVertex, Layer layer) {
        String base = confVertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer().getClass().getSimpleName()
                : layer.getClass().getSimpleName();
        return isFrozen(layer) ? "Frozen(" + base + ")" : base;
    }

    private static boolean isFrozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    /** Parameters a gradient step changes: not frozen, and not BN running mean/variance (Keras' "non-trainable"). */
    static long trainableParams(Layer layer) {
        if (isFrozen(layer)) {
            return 0;
        }
        long n = 0;
        for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : layer.paramTable().entrySet()) {
            String key = e.getKey();
            boolean statistic = BatchNormalizationParamInitializer.GLOBAL_MEAN.equals(key)
                    || BatchNormalizationParamInitializer.GLOBAL_VAR.equals(key)
                    || BatchNormalizationParamInitializer.GLOBAL_LOG_STD.equals(key);
            if (!statistic) {
                n += e.getValue().length();
            }
        }
        return n;
    }

    private static long[] shapeOf(InputType t) {
        if (t == null) {
            return new long[0];
        }
        long[] s = t.getShape(true);
        s[0] = -1;
        return s;
    }

    public List<Row> rows() { return rows; }
    /** Number of DL4J layers (vertices that hold a layer). */
    public int layers() { return layers; }
    /** Number of DL4J graph vertices, input and merge vertices included. */
    public int vertices() { return vertices; }
    public long totalParams() { return rows.stream().mapToLong(Row::params).sum(); }
    public long trainableParams() { return rows.stream().mapToLong(Row::trainableParams).sum(); }
    /** Output shape of the last vertex, batch as -1. */
    public long[] outputShape() { return rows.get(rows.size() - 1).outputShape(); }

    /** A fixed-width text table followed by the totals. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-28s %-22s %-20s %12s%n";
        sb.append(String.format(fmt, "Layer", "Type", "Output shape", "Params"));
        sb.append("-".repeat(85)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(fmt, r.name(), r.type(), shape(r.outputShape()), String.format("%,d", r.params())));
        }
        sb.append("-".repeat(85)).append('\n');
        sb.append(String.format("Total params: %,d%n", totalParams()));
        sb.append(String.format("Trainable params: %,d%n", trainableParams()));
        sb.append(String.format("Non-trainable params: %,d%n", totalParams() - trainableParams()));
        sb.append(String.format("Layers: %d, vertices: %d%n", layers, vertices));
        return sb.toString();
    }

    /** JSON with keys params_total, params_trainable, layers, vertices, output_shape and rows. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params_total", totalParams());
        m.put("params_trainable", trainableParams());
        m.put("layers", layers);
        m.put("vertices", vertices);
        m.put("output_shape", outputShape());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", r.name());
            row.put("type", r.type());
            row.put("output_shape", r.outputShape());
            row.put("params", r.params());
            row.put("inputs", r.inputs());
            list.add(row);
        }
        m.put("rows", list);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shape(long[] s) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            sb.append(i > 0 ? ", " : "").append(s[i] < 0 ? "N" : String.valueOf(s[i]));
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return toTable();
    }
}
