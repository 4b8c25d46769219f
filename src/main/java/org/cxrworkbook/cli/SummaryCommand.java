package org.cxrworkbook.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.eval.Predictor;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.cxrworkbook.model.ModelSummary;
import org.cxrworkbook.train.DataSettings;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxr summary}: builds the DenseNet — or reads a saved model with {@code --model} — and prints its layer table
 * and parameter counts (or JSON, the same fields either way).
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the DenseNet121 layer table (name, type, output shape, parameters) and counts; "
                + "with --model, those of a saved model.zip.")
public final class SummaryCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", description = "a saved model (model.zip of train / notebook 06) "
            + "instead of a fresh build; its image size comes from data-settings.json beside it, else --size")
    Path model;

    @Option(names = "--size", description = "input image side in pixels (default: ${DEFAULT-VALUE})")
    int size = 224;

    @Option(names = "--channels", description = "input channels, 1 or 3 (default: ${DEFAULT-VALUE})")
    int channels = 3;

    @Option(names = "--classes", description = "outputs of the sigmoid head (default: ${DEFAULT-VALUE})")
    int classes = 14;

    @Option(names = "--small", description = "the small classroom/test variant instead of DenseNet121")
    boolean small;

    @Option(names = "--no-top", description = "the base only (Keras include_top=False)")
    boolean noTop;

    @Option(names = "--json", description = "JSON: params_total, params_trainable, layers, vertices, output_shape, rows")
    boolean json;

    @Override
    public Integer call() {
        if (model != null) {
            ComputationGraph graph = Predictor.loadModel(model); // refuses a file that is not a model, naming it
            Path dir = model.toAbsolutePath().getParent();
            int side = Files.isRegularFile(dir.resolve(DataSettings.FILE)) ? DataSettings.read(dir).imageSize() : size;
            ModelSummary summary = ModelSummary.of(graph,
                    InputType.convolutional(side, side, Predictor.inputChannels(graph)));
            System.out.print(json ? summary.toJson() + System.lineSeparator() : summary.toTable());
            return 0;
        }
        DenseNetConfig base = small ? DenseNetConfig.small() : DenseNetConfig.densenet121();
        DenseNetConfig config = base.toBuilder().inputSize(size).channels(channels).classes(classes)
                .includeTop(!noTop).build();
        ComputationGraph graph = DenseNet.build(config);
        ModelSummary summary = ModelSummary.of(graph, config.inputType());
        System.out.print(json ? summary.toJson() + System.lineSeparator() : summary.toTable());
        return 0;
    }
}
