package org.cxrworkbook.perf.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.DenseNetLayers;
import org.cxrworkbook.model.OneDnnHelpers;
import org.cxrworkbook.model.TwoPassBatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link OpCase} run by DL4J as the project runs DenseNet121: a ComputationGraph holding only this operation's
 * layers, built from the same {@link DenseNetLayers} configurations and graph settings as {@code DenseNet}, with the
 * same oneDNN layer helpers and {@link TwoPassBatchNorm}. Its vertices are executed the way the ComputationGraph
 * executes them ({@code doForward} in training mode, then {@code doBackward} in reverse order), inside one cyclic
 * workspace per step, so steady-state steps allocate nothing, as the graph's workspaces do.
 */
final class Dl4jOp implements OpRunner {

    private static final String WS = "CXR_OP_BENCH";
    private static final WorkspaceConfiguration WS_CONF = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05).policyReset(ResetPolicy.BLOCK_LEFT)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policySpill(SpillPolicy.REALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP).build();

    private final OpCase op;
    private final ComputationGraph graph;
    /** The vertices of the operation in forward order (one for convolutions, pools and the concatenation). */
    private final List<String> chain;
    private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder().defaultWorkspace(WS, WS_CONF).build();
    private INDArray[] inputs;
    private INDArray outputGradient;
    private MemoryWorkspace open;
    private INDArray output;
    private INDArray[] inputGradients;
    private Map<String, INDArray> paramGradients;

    private Dl4jOp(OpCase op, ComputationGraph graph, List<String> chain) {
        this.op = op;
        this.graph = graph;
        this.chain = chain;
    }

    /** The single-operation graph of {@code op}, DenseNet121's settings otherwise. */
    static Dl4jOp create(OpCase op) {
        OneDnnHelpers.enable();
        DenseNetConfig c = DenseNetConfig.densenet121();
        ComputationGraphConfiguration.GraphBuilder g = DenseNetLayers.settings(c).graphBuilder().addInputs("in");
        InputType in = InputType.convolutional(op.side(), op.side(), op.channels());
        List<String> chain = new ArrayList<>();
        switch (op.kind()) {
            case CONV -> {
                String from = "in";
                if (op.kernel() == 7) {
                    g.addLayer("pad", DenseNetLayers.padding(op.pad()), from);
                    chain.add("pad");
                    from = "pad";
                    g.addLayer("conv", DenseNetLayers.conv(op.outChannels(), 7, op.stride(),
                            org.deeplearning4j.nn.conf.ConvolutionMode.Truncate), from);
                } else if (op.kernel() == 1) {
                    g.addLayer("conv", DenseNetLayers.conv1x1(op.outChannels()), from);
                } else {
                    g.addLayer("conv", DenseNetLayers.conv3x3(op.outChannels()), from);
                }
                chain.add("conv");
            }
            case BN_RELU, BN_RELU_NCHW -> {
                g.addLayer("bn", DenseNetLayers.bn(c), "in");
                g.addLayer("relu", DenseNetLayers.relu(), "bn");
                chain.add("bn");
                chain.add("relu");
            }
            case MAX_POOL -> {
                g.addLayer("pad", DenseNetLayers.padding(op.pad()), "in");
                g.addLayer("pool", DenseNetLayers.stemPool(), "pad");
                chain.add("pad");
                chain.add("pool");
            }
            case AVG_POOL -> {
                g.addLayer("pool", DenseNetLayers.transitionPool(), "in");
                chain.add("pool");
            }
            case DENSE_LAYER -> {
                // DenseNet's dense layer without its concatenation, named as the chain of OpRunner parameters
                g.addLayer("bn0", DenseNetLayers.bn(c), "in");
                g.addLayer("relu0", DenseNetLayers.relu(), "bn0");
                g.addLayer("conv1", DenseNetLayers.conv1x1(4 * op.outChannels()), "relu0");
                g.addLayer("bn1", DenseNetLayers.bn(c), "conv1");
                g.addLayer("relu1", DenseNetLayers.relu(), "bn1");
                g.addLayer("conv2", DenseNetLayers.conv3x3(op.outChannels()), "relu1");
                chain.addAll(List.of("bn0", "relu0", "conv1", "bn1", "relu1", "conv2"));
            }
            case CONCAT -> {
                g.addInputs("in2");
                g.addVertex("concat", new MergeVertex(), "in", "in2");
                chain.add("concat");
            }
        }
        if (op.kind() == OpCase.Kind.CONCAT) {
            g.setInputTypes(in, InputType.convolutional(op.side(), op.side(), op.outChannels()));
        } else {
            g.setInputTypes(in);
        }
        g.setOutputs(chain.get(chain.size() - 1));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        TwoPassBatchNorm.install(graph);
        graph.initGradientsView();
        return new Dl4jOp(op, graph, chain);
    }

    @Override
    public void load(OpData d) {
        int n = op.batch();
        inputs = new INDArray[d.inputs().size()];
        for (int i = 0; i < inputs.length; i++) {
            int ch = i == 0 ? op.channels() : op.outChannels();
            inputs[i] = Nd4j.create(d.inputs().get(i), new long[] {n, ch, op.side(), op.side()}, 'c');
        }
        for (Map.Entry<String, float[]> p : d.params().entrySet()) {
            String[] vertexAndParam = p.getKey().split("/");
            INDArray param = graph.getLayer(vertexAndParam[0]).getParam(vertexAndParam[1]);
            param.assign(Nd4j.create(p.getValue(), param.shape(), 'c'));
        }
        outputGradient = Nd4j.create(d.outputGradient(),
                new long[] {n, op.outputChannels(), op.outSide(), op.outSide()}, 'c');
    }

    @Override
    public void forward() {
        forward(false);
    }

    private void forward(boolean keep) {
        open = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, WS);
        INDArray[] current = inputs;
        INDArray out = null;
        for (String name : chain) {
            GraphVertex v = graph.getVertex(name);
            for (int i = 0; i < current.length; i++) {
                v.setInput(i, current[i], mgr);
            }
            out = v.doForward(true, mgr);
            current = new INDArray[] {out};
        }
        output = keep ? detached(out) : null;
    }

    @Override
    public void backward() {
        backward(false);
    }

    private void backward(boolean keep) {
        try {
            INDArray[] eps = {outputGradient};
            Map<String, INDArray> grads = new LinkedHashMap<>();
            for (int i = chain.size() - 1; i >= 0; i--) {
                GraphVertex v = graph.getVertex(chain.get(i));
                v.setEpsilon(eps[0]);
                Pair<Gradient, INDArray[]> p = v.doBackward(false, mgr);
                eps = p.getSecond();
                if (keep && p.getFirst() != null) {
                    for (Map.Entry<String, INDArray> e : p.getFirst().gradientForVariable().entrySet()) {
                        String key = e.getKey().substring(e.getKey().lastIndexOf('_') + 1);
                        grads.put(chain.get(i) + "/" + key, detached(e.getValue()));
                    }
                }
            }
            if (keep) {
                inputGradients = new INDArray[eps.length];
                for (int i = 0; i < eps.length; i++) {
                    inputGradients[i] = detached(eps[i]);
                }
                paramGradients = grads;
            }
        } finally {
            open.close();
            open = null;
        }
    }

    private static INDArray detached(INDArray a) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.castTo(DataType.FLOAT).dup('c');
        }
    }

    @Override
    public OpResult check(OpData data) {
        load(data);
        forward(true);
        backward(true);
        List<float[]> in = new ArrayList<>();
        for (INDArray g : inputGradients) {
            in.add(g.reshape(g.length()).toFloatVector());
        }
        Map<String, float[]> params = new LinkedHashMap<>();
        for (String key : data.params().keySet()) {
            INDArray g = paramGradients.get(key);
            if (g == null) {
                throw new IllegalStateException("DL4J gave no gradient for " + key + " of " + op.key() + ": "
                        + paramGradients.keySet());
            }
            params.put(key, g.reshape(g.length()).toFloatVector());
        }
        return new OpResult(output.reshape(output.length()).toFloatVector(), in, params);
    }

    @Override
    public String describe() {
        boolean twoPass = graph.getLayer("bn") != null && TwoPassBatchNorm.installedOn(graph.getLayer("bn"));
        return "DL4J " + String.join("+", chain) + (twoPass ? " (TwoPassBatchNorm)" : "");
    }
}
