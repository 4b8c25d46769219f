package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.data.phantom.PhantomSummary;
import org.cxrworkbook.data.phantom.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr phantom}: generates the synthetic dataset in the NIH ChestX-ray14 layout. */
@Command(name = "phantom", mixinStandardHelpOptions = true,
        description = "Generate the phantom chest X-ray dataset (NIH ChestX-ray14 layout).")
public final class PhantomCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (e.g. data/phantom).")
    Path out;

    @Option(names = "--images", defaultValue = "1200", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--size", defaultValue = "256", description = "Image side in pixels (default: ${DEFAULT-VALUE}; NIH: 1024).")
    int size;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--site", defaultValue = "A", description = "Acquisition site A or B (default: ${DEFAULT-VALUE}).")
    Site site;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--follow-ups", defaultValue = "3.0", description = "Mean films per patient (default: ${DEFAULT-VALUE}).")
    double followUps;

    @Option(names = "--floor", defaultValue = "0.02", description = "Minimum prevalence of any finding (default: ${DEFAULT-VALUE}).")
    double floor;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        PhantomGenerator.Builder b = PhantomGenerator.builder().images(images).size(size).seed(seed).site(site)
                .meanFollowUps(followUps).prevalenceFloor(floor).progress(quiet ? null : System.err);
        if (threads != null) {
            b.threads(threads);
        }
        PhantomSummary summary = b.build().generate(out);
        System.out.print(summary);
        return 0;
    }
}
