package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.WorkbookHome;
import org.cxrworkbook.notebook.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr report}: writes output/report.html over the executed notebooks, figures and metrics of a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html: notebook links and wall times, parameters, figures, metrics, machine.")
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--out", description = "runner output folder (default: ${DEFAULT-VALUE})")
    Path out = WorkbookHome.resolve("output");

    @Option(names = "--work", description = "notebooks' work folder with figures/ and metrics/ (default: OUT/work)")
    Path work;

    @Override
    public Integer call() {
        Path report = RunReport.write(out, work != null ? work : out.resolve("work"));
        System.out.println("report: " + report);
        return 0;
    }
}
