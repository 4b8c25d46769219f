package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.DatasetInspector;
import org.cxrworkbook.data.InspectionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr inspect}: checks a dataset folder and prints counts, splits, patient overlap and every problem. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Check a dataset folder (NIH layout, or the course's train-small.csv/valid-small.csv/test.csv/"
                + "images-small); exit status 1 when problems are found.")
public final class InspectCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "dataset folder (NIH layout or the course's folder)")
    Path data;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--skip-image-headers", description = "only check that image files exist, do not open them")
    boolean skipImageHeaders;

    @Mixin
    CourseFileOptions courseFiles;

    @Override
    public Integer call() {
        InspectionReport report = courseFiles.layout(data)
                .map(layout -> DatasetInspector.inspect(data, layout, !skipImageHeaders))
                .orElseGet(() -> DatasetInspector.inspect(data, !skipImageHeaders));
        System.out.print(json ? report.toJson() : report.toText());
        return report.hasProblems() ? 1 : 0;
    }
}
