package org.cxrworkbook.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.eval.Predictions;
import org.cxrworkbook.eval.Resampling;
import org.cxrworkbook.eval.RocAnalysis;
import org.cxrworkbook.eval.RocReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxr roc}: per-finding AUC with patient-bootstrap intervals from a predictions.csv, as a table or JSON. */
@Command(name = "roc", mixinStandardHelpOptions = true, defaultValueProvider = ClassroomDefaults.class,
        description = "Per-finding ROC AUC with bootstrap 95%% CIs (resampling patients) from a predictions.csv.")
public final class RocCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--predictions", required = true, paramLabel = "FILE", description = "predictions.csv to evaluate")
    Path predictions;

    @Option(names = "--bootstrap", paramLabel = "N", description = "bootstrap replicates, 0 for none (default ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "S", description = "bootstrap seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--resampling", defaultValue = "PATIENT", paramLabel = "R", description = "PATIENT or IMAGE (default ${DEFAULT-VALUE})")
    Resampling resampling;

    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the JSON to this file (e.g. WORK/metrics/roc.json)")
    Path out;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        // bad input (DataException naming file and row) goes to ErrorReport: one line, or JSON under --json
        RocReport report = RocAnalysis.builder().bootstrap(bootstrap).seed(seed).resampling(resampling).build()
                .analyse(Predictions.read(predictions));
        if (out != null) {
            report.writeJson(out);
        }
        if (json) {
            stdout.println(report.toJson());
        } else {
            stdout.println(report.table().print());
            stdout.println();
            stdout.println(report.operatingPoints().print());
        }
        stdout.flush();
        return 0;
    }
}
