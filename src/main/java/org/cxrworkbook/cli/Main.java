package org.cxrworkbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./cxr}: dispatches to one sub-command per pipeline task. */
@Command(name = "cxr", mixinStandardHelpOptions = true, version = "cxr-workbook 0.1.0",
        description = "Chest X-ray classification workbook: data, training, evaluation and explanations.",
        subcommands = {
                // one line per sub-command; keep alphabetical
                BenchCommand.class,
                BenchImagesCommand.class,
                BenchOpsCommand.class,
                EvaluateCommand.class,
                ExportBaseCommand.class,
                FindingGalleryCommand.class,
                GradCamCommand.class,
                InspectCommand.class,
                PhantomCommand.class,
                PhantomRealismCommand.class,
                PredictCommand.class,
                ReportCommand.class,
                RocCommand.class,
                SplitCommand.class,
                SummaryCommand.class,
                TrainCommand.class,
                TransferCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The command line with the error handling of {@link ErrorReport} (JSON errors under --json, no stack trace for bad input). */
    public static CommandLine commandLine() {
        return ErrorReport.install(new CommandLine(new Main()));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
