package org.cxrworkbook.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.plot.Charts;
import org.cxrworkbook.plot.DataPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxr finding-gallery}: one film per finding with its boxes drawn, as a PNG (DataPlots.findingGallery). */
@Command(name = "finding-gallery", mixinStandardHelpOptions = true,
        description = "Write one film per finding at display size with that finding's boxes drawn (a grey PNG).")
public final class FindingGalleryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "dataset folder (NIH layout, phantom or real)")
    Path data;

    @Option(names = "--out", required = true, description = "PNG file to write")
    Path out;

    @Option(names = "--tile", defaultValue = "256", description = "side of each film in pixels, 32-1024 (default: ${DEFAULT-VALUE})")
    int tile;

    @Option(names = "--columns", defaultValue = "7", description = "films per row, 1-14 (default: ${DEFAULT-VALUE})")
    int columns;

    @Override
    public Integer call() {
        try {
            if (tile < 32 || tile > 1024) {
                throw new IllegalArgumentException("--tile must be in 32..1024, got " + tile);
            }
            if (columns < 1 || columns > 14) {
                throw new IllegalArgumentException("--columns must be in 1..14, got " + columns);
            }
            ChestXrayDataset dataset = ChestXrayDataset.load(data);
            Charts.savePng(DataPlots.findingGallery(dataset, columns, tile), out);
            spec.commandLine().getOut().println("finding-gallery: " + DataPlots.findingExamples(dataset).size()
                    + " findings -> " + out);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (DataException | IllegalArgumentException | UncheckedIOException e) {
            spec.commandLine().getErr().println("finding-gallery: " + e.getMessage());
            return 2;
        }
    }
}
