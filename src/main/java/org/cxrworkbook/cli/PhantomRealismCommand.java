package org.cxrworkbook.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.image.realism.FilmFolder;
import org.cxrworkbook.image.realism.FilmMeasures;
import org.cxrworkbook.image.realism.RealismReport;
import org.cxrworkbook.plot.Charts;
import org.cxrworkbook.plot.DataPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxr phantom-realism}: measures real films and phantom sets at one size and prints how far apart they are. */
@Command(name = "phantom-realism", mixinStandardHelpOptions = true,
        description = "Compare phantom films with real radiographs: histograms (whole, lungs), spectrum slope, "
                + "lung-border edge width, lung texture, mid-lung profile.")
public final class PhantomRealismCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--real", required = true, paramLabel = "DIR", description = "folder of real films (PNG; reference only)")
    Path real;

    @Option(names = "--phantom", required = true, paramLabel = "DIR",
            description = "phantom set folder (or its images/); repeat for several sets, NAME=DIR names a column")
    List<String> phantoms;

    @Option(names = "--size", defaultValue = "256", description = "analysis size, a power of two (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--max", defaultValue = "100", description = "films per folder at most, in name order (default: ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--overlays", paramLabel = "DIR",
            description = "also write every measured film with its lung-mask outline into DIR/<set>/")
    Path overlays;

    @Option(names = "--json", description = "print JSON instead of the Markdown table")
    boolean json;

    @Option(names = "--figure", paramLabel = "PNG",
            description = "also write the first --figure-films films of every phantom set side by side (one row per set)")
    Path figure;

    @Option(names = "--figure-films", defaultValue = "4", description = "films per row of --figure, 1-10 (default: ${DEFAULT-VALUE})")
    int figureFilms;

    @Option(names = "--figure-with-real",
            description = "put the real films in --figure's first row too (for looking at locally: keep such a figure out of git)")
    boolean figureWithReal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (size < 32 || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("--size must be a power of two of at least 32, got " + size);
            }
            if (max < 1) {
                throw new IllegalArgumentException("--max must be at least 1, got " + max);
            }
            if (figureFilms < 1 || figureFilms > 10) {
                throw new IllegalArgumentException("--figure-films must be in 1..10, got " + figureFilms);
            }
            List<FilmMeasures> realFilms = FilmFolder.measure(real, size, max, overlays == null ? null : overlays.resolve("real"));
            Map<String, List<FilmMeasures>> sets = new LinkedHashMap<>();
            for (String p : phantoms) {
                int eq = p.indexOf('=');
                String name = eq > 0 ? p.substring(0, eq) : p;
                sets.put(name, FilmFolder.measure(Path.of(eq > 0 ? p.substring(eq + 1) : p), size, max,
                        overlays == null ? null : overlays.resolve(name)));
            }
            RealismReport report = RealismReport.compare(realFilms, sets);
            if (figure != null) {
                Map<String, List<Path>> rows = new LinkedHashMap<>();
                if (figureWithReal) {
                    rows.put("real", FilmFolder.files(real, figureFilms));
                }
                for (String p : phantoms) {
                    int eq = p.indexOf('=');
                    rows.put(eq > 0 ? p.substring(0, eq) : p, FilmFolder.files(Path.of(eq > 0 ? p.substring(eq + 1) : p), figureFilms));
                }
                Charts.savePng(DataPlots.filmRows(rows, 192), figure);
            }
            out.println(json ? report.toJson() : report.toMarkdown());
            out.flush();
            return 0;
        } catch (DataException | IllegalArgumentException e) {
            if (json) {
                out.println(RealismReport.json(Map.of("error", e.getMessage())));
                out.flush();
            } else {
                spec.commandLine().getErr().println("phantom-realism: " + e.getMessage());
            }
            return 2;
        }
    }
}
