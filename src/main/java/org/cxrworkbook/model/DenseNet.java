package org.cxrworkbook.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;

/**
 * Builds DenseNet121 (or a smaller sibling) as a DL4J ComputationGraph, layer for layer and named as Keras does.
 *
 * <p>Counts for DenseNet121 with its head: 7,051,854 parameters (7,037,504 without; BN running mean/variance
 * included, as Keras counts them). Keras lists 429 layers: the input, 120 convolutions, 121 BN, 121 ReLU,
 * 58 concatenations, 2 zero-paddings, 1 max-pool, 3 average pools, the global pool and the Dense head. DL4J
 * has the same 429 graph vertices, of which 370 are layers: its input and the 58 concatenations
 * ({@link MergeVertex}) are vertices without a layer.
 */
public final class DenseNet {

    /** Name of the input vertex (Keras' default input name). */
    public static final String INPUT = "input_1";
    /** The last batch normalisation, the course's Grad-CAM target. */
    public static final String LAST_BN = "bn";
    /** Global average pooling: the 1024 features the head sees. */
    public static final String FEATURES = "avg_pool";
    /** The classification head (Dense + sigmoid, as Keras names it). */
    public static final String HEAD = "predictions";

    private DenseNet() {
    }

    /** Builds and initialises the graph described by {@code config}; switches DL4J's oneDNN helpers on. */
    public static ComputationGraph build(DenseNetConfig config) {
        OneDnnHelpers.enable();
        ComputationGraph graph = new ComputationGraph(configuration(config));
        graph.init();
        TwoPassBatchNorm.install(graph);
        return graph;
    }

    /** The graph configuration (not initialised), for callers that want to adjust it. */
    public static ComputationGraphConfiguration configuration(DenseNetConfig c) {
        return assemble(c).graph.build();
    }

    /** Graph builder plus the vertex names in the order Keras creates its layers. */
    private static final class Assembly {
        final ComputationGraphConfiguration.GraphBuilder graph;
        final List<String> names = new ArrayList<>();

        Assembly(ComputationGraphConfiguration.GraphBuilder graph) {
            this.graph = graph;
            names.add(INPUT);
        }

        void addLayer(String name, org.deeplearning4j.nn.conf.layers.Layer layer, String input) {
            graph.addLayer(name, layer, input);
            names.add(name);
        }

        void addVertex(String name, MergeVertex vertex, String... inputs) {
            graph.addVertex(name, vertex, inputs);
            names.add(name);
        }

        void setOutputs(String name) {
            graph.setOutputs(name);
        }
    }

    private static Assembly assemble(DenseNetConfig c) {
        Assembly g = new Assembly(DenseNetLayers.settings(c)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(c.inputSize(), c.inputSize(), c.channels())));

        g.addLayer("zero_padding2d", DenseNetLayers.padding(3), INPUT);
        g.addLayer("conv1/conv", DenseNetLayers.stemConv(c), "zero_padding2d");
        g.addLayer("conv1/bn", DenseNetLayers.bn(c), "conv1/conv");
        g.addLayer("conv1/relu", DenseNetLayers.relu(), "conv1/bn");
        g.addLayer("zero_padding2d_1", DenseNetLayers.padding(1), "conv1/relu");
        g.addLayer("pool1", DenseNetLayers.stemPool(), "zero_padding2d_1");

        String x = "pool1";
        int channels = c.stemFilters();
        int[] blocks = c.blocks();
        for (int b = 0; b < blocks.length; b++) {
            String stage = "conv" + (b + 2);
            for (int l = 1; l <= blocks[b]; l++) {
                x = convBlock(g, c, stage + "_block" + l, x);
                channels += c.growthRate();
            }
            if (b < blocks.length - 1) {
                String t = "pool" + (b + 2);
                channels = (int) Math.floor(channels * c.compression());
                g.addLayer(t + "_bn", DenseNetLayers.bn(c), x);
                g.addLayer(t + "_relu", DenseNetLayers.relu(), t + "_bn");
                g.addLayer(t + "_conv", DenseNetLayers.conv1x1(channels), t + "_relu");
                g.addLayer(t + "_pool", DenseNetLayers.transitionPool(), t + "_conv");
                x = t + "_pool";
            }
        }
        g.addLayer(LAST_BN, DenseNetLayers.bn(c), x);
        g.addLayer("relu", DenseNetLayers.relu(), LAST_BN);
        g.addLayer(FEATURES, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu");
        if (c.includeTop()) {
            g.addLayer(HEAD, new OutputLayer.Builder(c.lossFunction()).nIn(channels).nOut(c.classes())
                    .activation(Activation.SIGMOID).build(), FEATURES);
            g.setOutputs(HEAD);
        } else {
            g.setOutputs(FEATURES);
        }
        return g;
    }

    private static String convBlock(Assembly g, DenseNetConfig c, String name, String x) {
        g.addLayer(name + "_0_bn", DenseNetLayers.bn(c), x);
        g.addLayer(name + "_0_relu", DenseNetLayers.relu(), name + "_0_bn");
        g.addLayer(name + "_1_conv", DenseNetLayers.conv1x1(c.bottleneckWidth()), name + "_0_relu");
        g.addLayer(name + "_1_bn", DenseNetLayers.bn(c), name + "_1_conv");
        g.addLayer(name + "_1_relu", DenseNetLayers.relu(), name + "_1_bn");
        g.addLayer(name + "_2_conv", DenseNetLayers.conv3x3(c.growthRate()), name + "_1_relu");
        g.addVertex(name + "_concat", new MergeVertex(), x, name + "_2_conv"); // Keras: Concatenate([x, x1])
        return name + "_concat";
    }

    /** Every vertex name in build order (input first, then Keras' layer order, head last if present). */
    public static List<String> vertexNames(DenseNetConfig c) {
        return new ArrayList<>(assemble(c).names);
    }

    /** Names of the base's vertices (everything except the input and the head), in Keras' order. */
    public static List<String> baseVertexNames(DenseNetConfig c) {
        List<String> names = vertexNames(c);
        names.remove(INPUT);
        names.remove(HEAD);
        return names;
    }

    /**
     * The base's vertices from the input up to and including {@code lastName} in Keras' order, e.g.
     * {@code upTo(c, "pool4_pool")} for "freeze everything before block 5".
     */
    public static List<String> upTo(DenseNetConfig c, String lastName) {
        List<String> base = baseVertexNames(c);
        int i = base.indexOf(lastName);
        if (i < 0) {
            throw new IllegalArgumentException("No layer named '" + lastName + "' in " + c);
        }
        return new ArrayList<>(base.subList(0, i + 1));
    }
}
