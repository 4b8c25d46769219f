package org.cxrworkbook.explain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The part of a {@link ComputationGraph} after a Grad-CAM target vertex, rebuilt as a small
 * {@link MultiLayerNetwork} so that DL4J's backprop gives d(class score)/d(target activations).
 *
 * <p>Why rebuild: in DL4J 1.0.0-M2.1 {@code ComputationGraph.backpropGradient} refuses graphs whose output is an
 * {@code OutputLayer} and clears inner epsilons, so no public call returns a gradient with respect to an inner
 * vertex. The tail after DenseNet's last block is simple (BatchNormalization → ReLU → global average pool →
 * dense), so it is rebuilt here with the real weights copied in. Any BatchNormalization in the tail is replaced
 * by its inference-time per-channel affine map x·γ/√(var+ε) + (β − mean·γ/√(var+ε)) (a 1×1 depthwise
 * convolution), because M2.1's BN backprop in inference mode uses the batch-statistics formula and gives a
 * wrong gradient. The last layer becomes a dense layer with the output layer's weights and either the identity
 * (score = logit) or the output layer's own activation (score = probability).
 */
public final class TailHead {

    private final MultiLayerNetwork network;
    private final List<String> chain;

    private TailHead(MultiLayerNetwork network, List<String> chain) {
        this.network = network;
        this.chain = List.copyOf(chain);
    }

    /**
     * Rebuilds the tail after {@code target} for activations of the given shape.
     *
     * @throws IllegalArgumentException if the vertex does not exist (message lists all vertex names) or its tail
     *                                  cannot be rebuilt (message lists the vertices that are supported)
     */
    public static TailHead build(ComputationGraph graph, String target, long[] activationShape, Score score) {
        List<String> chain = chainAfter(graph, target);
        if (activationShape.length != 4) {
            throw new IllegalArgumentException("Grad-CAM needs 4-D activations [n, c, h, w] at '" + target
                    + "', got rank " + activationShape.length);
        }
        DataType dt = graph.params().dataType();
        long channels = activationShape[1];
        // The head is tiny: no workspaces, so the activations kept for backprop stay valid (M2.1 reports "outdated
        // workspace pointer" for some layers' backprop after feedForward(false, false) with workspaces on).
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(dt)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).list();
        // Parameters are copied in after init(); one setter per layer that has any.
        List<Consumer<MultiLayerNetwork>> setters = new ArrayList<>();
        for (int index = 0; index < chain.size(); index++) {
            String name = chain.get(index);
            org.deeplearning4j.nn.conf.layers.Layer conf = layerConf(graph, name);
            int i = index;
            if (conf instanceof BatchNormalization bn) {
                INDArray[] affine = batchNormAffine(graph.getLayer(name), bn, dt);
                list.layer(new DepthwiseConvolution2D.Builder(1, 1).nIn(channels).nOut(channels).depthMultiplier(1)
                        .hasBias(true).activation(Activation.IDENTITY).build());
                setters.add(net -> {
                    net.getLayer(i).setParam("W", affine[0].reshape(1, 1, channels, 1));
                    net.getLayer(i).setParam("b", affine[1].reshape(1, channels));
                });
            } else if (conf instanceof ActivationLayer act) {
                list.layer(new ActivationLayer.Builder().activation(act.getActivationFn()).build());
            } else if (conf instanceof GlobalPoolingLayer pool) {
                list.layer(new GlobalPoolingLayer.Builder(pool.getPoolingType()).pnorm(pool.getPnorm()).build());
            } else {
                FeedForwardLayer out = (FeedForwardLayer) conf;
                Layer real = graph.getLayer(name);
                INDArray w = real.getParam("W").castTo(dt).dup();
                INDArray b = real.paramTable().containsKey("b")
                        ? real.getParam("b").castTo(dt).reshape(1, out.getNOut()).dup()
                        : Nd4j.zeros(dt, 1, out.getNOut());
                IActivation activation = score == Score.LOGIT ? Activation.IDENTITY.getActivationFunction()
                        : ((BaseLayer) conf).getActivationFn();
                list.layer(new DenseLayer.Builder().nIn(out.getNIn()).nOut(out.getNOut()).activation(activation)
                        .build());
                setters.add(net -> {
                    net.getLayer(i).setParam("W", w);
                    net.getLayer(i).setParam("b", b);
                });
            }
        }
        list.setInputType(InputType.convolutional(activationShape[2], activationShape[3], channels));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        setters.forEach(s -> s.accept(net));
        return new TailHead(net, chain);
    }

    /** Names of the graph vertices this head replaces, in order (the last is the output layer). */
    public List<String> chain() {
        return chain;
    }

    /** The class scores [n, classes] for target activations (does not modify {@code activations}). */
    public INDArray scores(INDArray activations) {
        return network.output(activations.dup(), false);
    }

    /** d(score of {@code classIndex})/d(activations) for every example, same shape as {@code activations}. */
    public INDArray gradient(INDArray activations, int classIndex) {
        // The head writes into its input (in-place activations), so it gets a copy.
        INDArray x = activations.dup();
        network.setInput(x);
        List<INDArray> acts = network.feedForward(false, false);
        INDArray out = acts.get(acts.size() - 1);
        if (classIndex < 0 || classIndex >= out.size(1)) {
            throw new IllegalArgumentException("class index " + classIndex + " outside 0.." + (out.size(1) - 1));
        }
        INDArray epsilon = Nd4j.zeros(out.dataType(), out.shape());
        epsilon.getColumn(classIndex).assign(1.0);
        INDArray grad = network.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        network.clear();
        return grad.dup();
    }

    /** Per-channel scale and shift equal to a BatchNormalization layer in inference mode. */
    static INDArray[] batchNormAffine(Layer real, BatchNormalization conf, DataType dt) {
        Map<String, INDArray> p = real.paramTable();
        INDArray mean = p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(dt).reshape(-1);
        INDArray var;
        if (p.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
            var = p.get(BatchNormalizationParamInitializer.GLOBAL_VAR).castTo(dt).reshape(-1).dup();
        } else {
            // useLogStd: DL4J stores log10 of the standard deviation; var = (10^s)^2.
            INDArray s = p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).castTo(dt).reshape(-1);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(s.shape(), 10.0, dt), s, true);
            var = std.mul(std);
        }
        long c = mean.length();
        INDArray gamma = conf.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {c}, conf.getGamma(), dt)
                : p.get(BatchNormalizationParamInitializer.GAMMA).castTo(dt).reshape(-1);
        INDArray beta = conf.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {c}, conf.getBeta(), dt)
                : p.get(BatchNormalizationParamInitializer.BETA).castTo(dt).reshape(-1);
        INDArray scale = gamma.div(Transforms.sqrt(var.add(conf.getEps()), true));
        INDArray shift = beta.sub(mean.mul(scale));
        return new INDArray[] {scale, shift};
    }

    /**
     * Checks that Grad-CAM can target {@code target} in this graph.
     *
     * @throws IllegalArgumentException naming the valid vertices (unknown name) or the supported targets
     */
    public static void validateTarget(ComputationGraph graph, String target) {
        chainAfter(graph, target);
    }

    /**
     * The vertices after {@code target} up to the network output, checked to be rebuildable.
     *
     * @throws IllegalArgumentException naming valid vertices or supported targets
     */
    static List<String> chainAfter(ComputationGraph graph, String target) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Set<String> all = new LinkedHashSet<>(conf.getNetworkInputs());
        all.addAll(conf.getVertices().keySet());
        if (target == null || !all.contains(target)) {
            throw new IllegalArgumentException("no vertex named '" + target + "' in the model; valid names: "
                    + String.join(", ", all));
        }
        String problem = problemWith(graph, target);
        if (problem != null) {
            throw new IllegalArgumentException("cannot compute Grad-CAM at '" + target + "': " + problem
                    + "; supported targets in this model: " + String.join(", ", supportedTargets(graph)));
        }
        return walk(graph, target);
    }

    /**
     * Vertices whose tail is rebuildable: the output after it is only BatchNormalization / activation layers,
     * one global pooling layer and a dense output layer, in a single chain.
     */
    public static List<String> supportedTargets(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Set<String> names = new TreeSet<>(conf.getVertices().keySet());
        names.addAll(conf.getNetworkInputs());
        return names.stream().filter(n -> problemWith(graph, n) == null).toList();
    }

    private static List<String> walk(ComputationGraph graph, String target) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> chain = new ArrayList<>();
        String cur = target;
        while (!conf.getNetworkOutputs().contains(cur)) {
            List<String> consumers = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                if (e.getValue().contains(cur)) {
                    consumers.add(e.getKey());
                }
            }
            if (consumers.size() != 1 || conf.getVertexInputs().get(consumers.get(0)).size() != 1) {
                return null;
            }
            cur = consumers.get(0);
            chain.add(cur);
        }
        return chain;
    }

    /** Why the tail after {@code target} cannot be rebuilt, or null if it can. */
    private static String problemWith(ComputationGraph graph, String target) {
        List<String> chain = walk(graph, target);
        if (chain == null) {
            return "its output branches or merges with other vertices before the network output";
        }
        if (chain.isEmpty()) {
            return "it is the network output";
        }
        int pools = 0;
        for (int i = 0; i < chain.size(); i++) {
            String name = chain.get(i);
            org.deeplearning4j.nn.conf.layers.Layer layer = layerConf(graph, name);
            boolean last = i == chain.size() - 1;
            if (last) {
                if (!(layer instanceof BaseOutputLayer || layer instanceof DenseLayer)) {
                    return "the network output '" + name + "' is not a dense/output layer";
                }
            } else if (layer instanceof GlobalPoolingLayer) {
                pools++;
            } else if (pools > 0 || !(layer instanceof BatchNormalization || layer instanceof ActivationLayer)) {
                return "'" + name + "' (" + (layer == null ? "non-layer vertex" : layer.getClass().getSimpleName())
                        + ") between it and the output cannot be rebuilt";
            }
        }
        return pools == 1 ? null : "there is no global pooling layer after it (activations are not spatial maps)";
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerConf(ComputationGraph graph, String name) {
        GraphVertex v = graph.getConfiguration().getVertices().get(name);
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }
}
