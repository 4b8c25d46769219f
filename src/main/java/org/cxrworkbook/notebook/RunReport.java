package org.cxrworkbook.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.WorkbookHome;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The page a run leaves behind, {@code output/report.html}: a headline (model, data, mean test AUC with its
 * interval, times), the comparison with the reference default run, the per-finding AUC table, a link to each
 * executed notebook's HTML with its wall time, every figure under {@code WORK_DIR/figures/} (embedded, so the page
 * stands alone) with a caption saying what to look at, the run receipt ({@link RunHeadline}), the parameters,
 * every {@code WORK_DIR/metrics/*.json} as collapsible tables, and the machine it ran on.
 * Reads {@code run.json}, the timing summary written by {@code environment/run_notebooks.py}.
 */
public final class RunReport {

    /** Name of the report file inside the output folder. */
    public static final String FILE_NAME = "report.html";
    /** Name of the runner's timing summary inside the output folder. */
    public static final String RUN_SUMMARY = "run.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The committed figures of the default run (in the repository), compared with a run of the same data and settings. */
    public static Path reference() {
        return WorkbookHome.resolve("data", "reference", "default-run.json");
    }

    private final Path outDir;
    private final Path workDir;
    private final MachineFacts machine;
    private final Path referenceFile;

    /** A report over the runner's output folder and the notebooks' work folder, without a reference. */
    public RunReport(Path outDir, Path workDir, MachineFacts machine) {
        this(outDir, workDir, machine, null);
    }

    /** A report that also compares the run with {@code referenceFile} (null: none). */
    public RunReport(Path outDir, Path workDir, MachineFacts machine, Path referenceFile) {
        this.outDir = outDir;
        this.workDir = workDir;
        this.machine = machine;
        this.referenceFile = referenceFile;
    }

    /** Writes {@code outDir/report.html} for this machine, compared with {@link #reference()}, and returns its path. */
    public static Path write(Path outDir, Path workDir) {
        return new RunReport(outDir, workDir, MachineFacts.current(), reference()).write();
    }

    /** Writes the report (through a temporary file, so a failure leaves no half-written page). */
    public Path write() {
        String page = html();
        return org.cxrworkbook.data.AtomicFiles.writeString(outDir.resolve(FILE_NAME), page);
    }

    /** The whole page. */
    public String html() {
        JsonNode run = readJson(outDir.resolve(RUN_SUMMARY), true);
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>cxr-workbook run report</title>")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}")
                .append("table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:3px 8px;")
                .append("text-align:left;vertical-align:top}th{background:#eee}.failed{color:#b00}")
                .append("figure{display:inline-block;margin:.5em;max-width:520px;vertical-align:top}img{max-width:100%}")
                .append(".headline{font-size:1.15em;background:#f3f6fa;border-left:4px solid #3b6ea5;padding:.3em 1em}")
                .append("details{margin:.3em 0}summary{cursor:pointer}</style>")
                // for the headless-browser test: how many pictures the browser could decode
                .append("<script>window.addEventListener('load',function(){var i=document.images,n=0;")
                .append("for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0){n++;}}")
                .append("document.body.setAttribute('data-images-loaded',n+'/'+i.length);});</script>")
                .append("</head><body>\n")
                .append("<h1>cxr-workbook run report</h1>\n<p>Educational use only — not for diagnosis.</p>\n");
        RunHeadline top = new RunHeadline(run, workDir, referenceFile);
        sb.append(top.headline());
        sb.append(top.referenceComparison());
        sb.append(top.aucTable());
        notebooks(run, sb);
        figures(sb);
        sb.append(top.receipt(machine));
        parameters(run, sb);
        kernel(run, sb);
        metrics(sb);
        machine(sb);
        return sb.append("</body></html>\n").toString();
    }

    private void notebooks(JsonNode run, StringBuilder sb) {
        sb.append("<h2>Notebooks</h2>\n<table><tr><th>#</th><th>notebook</th><th>status</th><th>wall time</th>")
                .append("<th>images</th></tr>\n");
        int n = 0;
        if (run != null && run.has("notebooks")) {
            for (JsonNode nb : run.get("notebooks")) {
                String status = nb.path("status").asText("?");
                String html = nb.path("html").asText("");
                String name = nb.path("notebook").asText(html);
                sb.append("<tr><td>").append(++n).append("</td><td>")
                        .append(html.isEmpty() ? JsonTables.escape(name) : link(html, name))
                        .append("</td><td").append("ok".equals(status) ? ">" : " class=\"failed\">")
                        .append(JsonTables.escape(status));
                if (nb.hasNonNull("message")) {
                    sb.append(": ").append(JsonTables.escape(nb.get("message").asText()));
                }
                sb.append("</td><td>").append(seconds(nb.path("seconds").asDouble(Double.NaN)))
                        .append("</td><td>").append(nb.path("images").asText("")).append("</td></tr>\n");
            }
            sb.append("<tr><th></th><th>total</th><th></th><th>")
                    .append(seconds(run.path("total_seconds").asDouble(Double.NaN))).append("</th><th></th></tr>\n");
        } else {
            // no timing summary (report made by hand): list the HTML pages that are there
            for (Path page : list(outDir, ".html")) {
                String file = page.getFileName().toString();
                if (!file.equals(FILE_NAME)) {
                    sb.append("<tr><td>").append(++n).append("</td><td>").append(link(file, file))
                            .append("</td><td></td><td></td><td></td></tr>\n");
                }
            }
        }
        sb.append("</table>\n");
    }

    private static void parameters(JsonNode run, StringBuilder sb) {
        sb.append("<h2>Parameters</h2>\n");
        JsonNode params = run == null ? null : run.get("params");
        if (params == null || params.size() == 0) {
            sb.append("<p>Notebook defaults (no CXR_* variables set).</p>\n");
            return;
        }
        sb.append("<table>");
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sb.append("<tr><th>").append(JsonTables.escape(e.getKey())).append("</th><td>")
                    .append(JsonTables.escape(e.getValue().asText())).append("</td></tr>");
        }
        sb.append("</table>\n");
    }

    /** The Jupyter kernel that ran the notebooks, as the runner recorded it from the kernel spec. */
    static void kernel(JsonNode run, StringBuilder sb) {
        sb.append("<h2>Kernel</h2>\n");
        JsonNode k = run == null ? null : run.get("kernel");
        if (k == null || !k.isObject()) {
            sb.append("<p>Not recorded (no run.json, or written by an older runner).</p>\n");
            return;
        }
        sb.append("<p>").append(JsonTables.escape(kernelLine(k))).append("</p>\n");
    }

    /** One line naming the kernel, e.g. "rapaio-jupyter-kernel 3.0.1 with environment/kernel-fix, heap 8g". */
    static String kernelLine(JsonNode k) {
        StringBuilder line = new StringBuilder(k.path("implementation").asText("unknown kernel"));
        if (k.hasNonNull("version")) {
            line.append(' ').append(k.get("version").asText());
        }
        if (k.hasNonNull("patches") && !"none".equals(k.get("patches").asText())) {
            line.append(" with ").append(k.get("patches").asText());
        }
        if (k.hasNonNull("heap")) {
            line.append(", heap ").append(k.get("heap").asText());
        }
        if (k.hasNonNull("display_name")) {
            line.append(" (spec \"").append(k.get("display_name").asText()).append("\")");
        }
        return line.toString();
    }

    private void figures(StringBuilder sb) {
        sb.append("<h2>Figures</h2>\n");
        List<Path> pngs = list(workDir.resolve("figures"), ".png");
        if (pngs.isEmpty()) {
            sb.append("<p>No figures in ").append(JsonTables.escape(workDir.resolve("figures").toString()))
                    .append(".</p>\n");
        }
        for (Path png : pngs) {
            try {
                String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
                String file = workDir.resolve("figures").relativize(png).toString();
                String caption = CAPTIONS.getOrDefault(png.getFileName().toString(), file);
                sb.append("<figure><img alt=\"").append(JsonTables.escape(file))
                        .append("\" src=\"data:image/png;base64,").append(data).append("\"><figcaption>")
                        .append(JsonTables.escape(caption)).append(" <small>(").append(JsonTables.escape(file))
                        .append(")</small></figcaption></figure>\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read figure " + png, e);
            }
        }
    }

    /** What to look at in each figure the notebooks save, by file name; others are captioned with their name. */
    static final Map<String, String> CAPTIONS = Map.ofEntries(
            Map.entry("01-finding-counts.png", "Films per finding in the data set (notebook 01): look at how unequal "
                    + "the findings are — the imbalance that notebook 05's weighted loss answers."),
            Map.entry("02-prevalence-per-split.png", "Each finding's share of train, validation and test after the "
                    + "patient-wise split (notebook 02): large gaps mean a split's AUC for that finding rests on few films."),
            Map.entry("03-raw-vs-standardised.png", "One film's pixel histogram before and after standardisation "
                    + "(notebook 03): the shape stays, the scale becomes mean 0, standard deviation 1."),
            Map.entry("04-test-pixels-standardised.png", "Test pixels standardised with the training films' statistics "
                    + "and per film (notebook 04): compare where each is centred and how wide it is."),
            Map.entry("05-weighted-contributions.png", "Positive and negative contributions to the loss per finding after "
                    + "weighting (notebook 05): equal bars mean no finding is drowned by its negatives."),
            Map.entry("07-roc-curves.png", "ROC curves of the 14 findings on the test split: the further a curve bows towards the "
                    + "top left, the better the finding is ranked; the diagonal is chance."),
            Map.entry("07-roc-small-multiples.png", "One ROC panel per finding, with its AUC and the operating point chosen on "
                    + "validation: look for findings close to the diagonal."),
            Map.entry("07-calibration.png", "Calibration: mean predicted probability against the observed rate; points below "
                    + "the diagonal are over-confident (the class weighting pushes probabilities up)."),
            Map.entry("08-gradcam-gallery.png", "Grad-CAM maps of test films with their true lesion boxes: a good map is hot "
                    + "inside the box."),
            Map.entry("08-gradcam-course-examples.png", "The course's four example films, one Grad-CAM map per finding "
                    + "of highest test AUC (course folder only): compare the hot regions with the course's own figure."),
            Map.entry("08-gradcam-top-findings.png", "One film's three most probable findings with their Grad-CAM maps: "
                    + "check whether the hot region fits the finding and whether the film has it."));

    private void metrics(StringBuilder sb) {
        sb.append("<h2>Metrics (raw, click to open)</h2>\n");
        List<Path> files = list(workDir.resolve("metrics"), ".json");
        if (files.isEmpty()) {
            sb.append("<p>No metrics in ").append(JsonTables.escape(workDir.resolve("metrics").toString()))
                    .append(".</p>\n");
        }
        for (Path file : files) {
            sb.append("<details><summary>").append(JsonTables.escape(file.getFileName().toString()))
                    .append("</summary>\n").append(JsonTables.html(readJson(file, false))).append("</details>\n");
        }
    }

    private void machine(StringBuilder sb) {
        sb.append("<h2>Machine</h2>\n<table>")
                .append(row("cores", Integer.toString(machine.cores())))
                .append(row("memory", machine.physicalMemoryBytes() > 0 ? gib(machine.physicalMemoryBytes()) : "unknown"))
                .append(row("report JVM max heap", gib(machine.maxHeapBytes())))
                .append(row("Java", machine.java()))
                .append(row("ND4J backend", machine.nd4jBackend()))
                .append("</table>\n");
    }

    private static String row(String key, String value) {
        return "<tr><th>" + JsonTables.escape(key) + "</th><td>" + JsonTables.escape(value) + "</td></tr>";
    }

    private static String link(String href, String text) {
        return "<a href=\"" + JsonTables.escape(href) + "\">" + JsonTables.escape(text) + "</a>";
    }

    static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "";
        }
        long whole = Math.round(s);
        return whole >= 60 ? String.format("%d min %02d s", whole / 60, whole % 60) : String.format("%.1f s", s);
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** Parsed JSON; a missing optional file gives null, unreadable JSON a DataException naming the file. */
    private static JsonNode readJson(Path file, boolean optional) {
        if (optional && !Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataException(file.toString(), 0, "not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Regular files under dir (recursively) ending in suffix, sorted by path; none when dir is absent. */
    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return new ArrayList<>(files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase().endsWith(suffix))
                    .sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
