package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.WorkbookHome;
import org.cxrworkbook.train.BaseFile;
import org.cxrworkbook.train.StartingWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr export-base}: writes a trained model as a compact pretrained base (float16 on disk, no updater state). */
@Command(name = "export-base", mixinStandardHelpOptions = true,
        description = "Write a trained model (e.g. WORK/model.zip) as a pretrained base: parameters stored as float16 "
                + "(restored as float32 on load), no updater state, provenance in the zip's base.json.")
public final class ExportBaseCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "trained DL4J model zip, e.g. /work/base121/model.zip")
    Path model;

    @Option(names = "--out", description = "base file to write (default: ${DEFAULT-VALUE})")
    Path out = WorkbookHome.resolve("data", "weights", StartingWeights.PHANTOM_BASE_121);

    @Override
    public Integer call() {
        BaseFile.Export e = BaseFile.export(model, out);
        System.out.printf(java.util.Locale.ROOT, "wrote %s: %,d parameters as float16, %.1f MB (source %s, SHA-256 %s)%n",
                e.file(), e.params(), e.bytes() / 1e6, model, e.sourceSha256());
        return 0;
    }
}
