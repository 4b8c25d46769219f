package org.cxrworkbook.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.SettingException;
import org.cxrworkbook.train.SettingSource;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The top of the run report: the headline (what ran, on what data, the mean test AUC with its interval, the times),
 * the per-finding AUC table, the run receipt (commit, settings, data and split hashes, kernel, host, libraries) and
 * the comparison with the committed reference figures of the default run ({@code data/reference/default-run.json}).
 * Every sentence is built from the run's own files; what a run did not write is said to be missing.
 */
final class RunHeadline {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode run;
    private final Path workDir;
    private final JsonNode roc;
    private final JsonNode splitSettings;
    private final JsonNode dataSettings;
    private final JsonNode reference;
    private final RunSettings settings;
    private final String settingsProblem;

    RunHeadline(JsonNode run, Path workDir, Path referenceFile) {
        this.run = run;
        this.workDir = workDir;
        this.roc = read(workDir.resolve("metrics/roc.json"));
        this.splitSettings = read(workDir.resolve("splits/split-settings.json"));
        this.dataSettings = read(workDir.resolve("data-settings.json"));
        this.reference = referenceFile == null ? null : read(referenceFile);
        RunSettings s = null;
        String problem = null;
        try {
            s = RunSettings.classroom().toBuilder().overrides(SettingSource.of(params(), "CXR_")).build();
        } catch (SettingException e) {
            problem = e.getMessage();
        }
        this.settings = s;
        this.settingsProblem = problem;
    }

    /** The run's CXR_* parameters without the prefix, as the notebooks read them. */
    private Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        JsonNode node = run == null ? null : run.get("params");
        if (node != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("CXR_")) {
                    p.put(e.getKey().substring(4), e.getValue().asText());
                }
            }
        }
        return p;
    }

    /** One paragraph: model and data, the split sizes, the mean test AUC with its interval, the times. */
    String headline() {
        StringBuilder sb = new StringBuilder("<div class=\"headline\" id=\"headline\"><p>");
        String model = settings != null ? settings.model().label() : "the model of notebook 06";
        String data = dataSettings != null && dataSettings.path("phantom").asBoolean(false) ? "phantom films"
                : "films";
        String folder = dataSettings != null ? dataSettings.path("data_dir").asText("") : "";
        sb.append("<b>").append(JsonTables.escape(model)).append("</b> trained on ");
        JsonNode images = splitSettings == null ? null : splitSettings.get("images");
        if (images != null) {
            sb.append(String.format(Locale.ROOT, "%,d %s, validated on %,d, tested on %,d",
                    images.path("train").asInt(), JsonTables.escape(data), images.path("val").asInt(),
                    images.path("test").asInt()));
        } else {
            sb.append(JsonTables.escape(data));
        }
        if (!folder.isEmpty()) {
            sb.append(" from <code>").append(JsonTables.escape(folder)).append("</code>");
        }
        sb.append(".</p>\n<p class=\"auc\">");
        if (roc != null && roc.has("mean_auc")) {
            sb.append(String.format(Locale.ROOT, "Mean test AUC <b>%.3f</b> (95 %% CI %.3f–%.3f, bootstrap over %ss, "
                            + "%,d replicates) on %,d test films of %,d patients, %d of 14 findings defined.",
                    roc.get("mean_auc").asDouble(), roc.path("mean_ci_low").asDouble(Double.NaN),
                    roc.path("mean_ci_high").asDouble(Double.NaN), JsonTables.escape(roc.path("resampling").asText("")),
                    roc.path("bootstrap").asInt(), roc.path("images").asInt(), roc.path("patients").asInt(),
                    roc.path("defined_findings").asInt()));
        } else {
            sb.append("No test AUC: notebook 07 did not write <code>metrics/roc.json</code> in this run.");
        }
        sb.append("</p>\n<p>").append(JsonTables.escape(times())).append("</p></div>\n");
        return sb.toString();
    }

    /** "Notebooks 7 min 31 s in total; the longest, 06-densenet-training.ipynb, 3 min 40 s. 8 of 8 ran." */
    String times() {
        if (run == null || !run.has("notebooks")) {
            return "No timings (no run.json).";
        }
        int n = 0;
        int ok = 0;
        String longest = null;
        double longestSeconds = -1;
        for (JsonNode nb : run.get("notebooks")) {
            n++;
            ok += "ok".equals(nb.path("status").asText()) ? 1 : 0;
            double s = nb.path("seconds").asDouble(0);
            if (s > longestSeconds) {
                longestSeconds = s;
                longest = nb.path("notebook").asText();
            }
        }
        return String.format(Locale.ROOT, "Notebooks %s in total; the longest, %s, %s. %d of %d ran through.",
                RunReport.seconds(run.path("total_seconds").asDouble(Double.NaN)), longest,
                RunReport.seconds(longestSeconds), ok, n);
    }

    /** Is this run the reference's: same data files, settings and test split? Empty when it is, else why not. */
    List<String> notComparable() {
        List<String> why = new ArrayList<>();
        if (reference == null) {
            why.add("no reference file");
            return why;
        }
        if (roc == null) {
            why.add("this run has no metrics/roc.json");
            return why;
        }
        String sha = splitSettings == null ? null : splitSettings.path("data_sha256").asText(null);
        if (!Objects.equals(sha, reference.path("data_sha256").asText(null))) {
            why.add("other data files (SHA-256 " + abbreviate(sha) + " vs " + abbreviate(reference.path("data_sha256")
                    .asText(null)) + ")");
        }
        String renderer = filmRenderer();
        String referenceRenderer = reference.path("renderer").asText(null);
        if (renderer != null && referenceRenderer != null && !renderer.equals(referenceRenderer)) {
            why.add("films drawn by the " + renderer + " renderer vs " + referenceRenderer);
        }
        if (settings == null) {
            why.add("settings not readable: " + settingsProblem);
        } else {
            JsonNode ref = reference.path("settings");
            // a setting added after the reference was measured had its classroom default then
            Map<String, Object> defaults = RunSettings.classroom().toMap();
            for (Map.Entry<String, Object> e : settings.toMap().entrySet()) {
                if (e.getKey().endsWith("Dir")) {
                    continue;
                }
                JsonNode r = ref.get(e.getKey());
                boolean equal = r != null ? same(r, e.getValue()) : Objects.equals(defaults.get(e.getKey()), e.getValue());
                if (!equal) {
                    why.add(e.getKey() + " " + (r != null ? r.asText() : String.valueOf(defaults.get(e.getKey())))
                            + " → " + e.getValue());
                }
            }
        }
        if (roc.path("images").asInt() != reference.path("test_images").asInt()
                || roc.path("patients").asInt() != reference.path("test_patients").asInt()) {
            why.add(String.format(Locale.ROOT, "test split %d films of %d patients vs %d of %d",
                    roc.path("images").asInt(), roc.path("patients").asInt(), reference.path("test_images").asInt(),
                    reference.path("test_patients").asInt()));
        }
        return why;
    }

    /**
     * The phantom renderer of the run's data folder, from its {@code phantom.json} (a marker without a renderer line is
     * a classic set); null when the folder holds no phantom marker (real data, or the folder is gone).
     */
    private String filmRenderer() {
        String dir = dataSettings == null ? null : dataSettings.path("data_dir").asText(null);
        JsonNode marker = dir == null ? null : read(Path.of(dir).resolve(org.cxrworkbook.data.NihFiles.PHANTOM_MARKER));
        return marker == null ? null : marker.path("renderer").asText("classic");
    }

    private static boolean same(JsonNode ref, Object value) {
        if (value instanceof Number n && ref.isNumber()) {
            return Math.abs(n.doubleValue() - ref.asDouble()) <= 1e-12 * Math.max(1, Math.abs(ref.asDouble()));
        }
        return ref.asText().equals(String.valueOf(value));
    }

    /** Findings (and the mean) whose AUC differs from the reference by more than its tolerance, as sentences. */
    List<String> differences() {
        double tol = reference.path("tolerance").asDouble(0.005);
        List<String> out = new ArrayList<>();
        double mean = roc.path("mean_auc").asDouble(Double.NaN);
        double refMean = reference.path("mean_auc").asDouble(Double.NaN);
        if (!(Math.abs(mean - refMean) <= tol)) {
            out.add(String.format(Locale.ROOT, "mean %.3f vs %.3f (%+.3f)", mean, refMean, mean - refMean));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = reference.path("findings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double ours = roc.path("findings").path(e.getKey()).path("auc").asDouble(Double.NaN);
            double ref = e.getValue().asDouble(Double.NaN);
            if (!(Math.abs(ours - ref) <= tol)) {
                out.add(String.format(Locale.ROOT, "%s %.3f vs %.3f (%+.3f)", e.getKey(), ours, ref, ours - ref));
            }
        }
        return out;
    }

    /** The verdict against the reference default run, one paragraph. */
    String referenceComparison() {
        StringBuilder sb = new StringBuilder("<h2>Compared with the reference run</h2>\n<p id=\"reference\">");
        List<String> why = notComparable();
        if (reference == null) {
            sb.append("No reference figures found (<code>data/reference/default-run.json</code>).");
        } else if (!why.isEmpty()) {
            sb.append("Not comparable with the reference default run (")
                    .append(JsonTables.escape(reference.path("measured").asText())).append("): ")
                    .append(JsonTables.escape(String.join("; ", why))).append('.');
        } else {
            List<String> diff = differences();
            double tol = reference.path("tolerance").asDouble(0.005);
            if (diff.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "<b>Matches the reference</b> (%s): mean test AUC and all %d "
                                + "findings within ±%.3f of the committed figures.",
                        JsonTables.escape(reference.path("measured").asText()), reference.path("findings").size(), tol));
            } else {
                sb.append(String.format(Locale.ROOT, "<b>Differs from the reference</b> (%s) by more than ±%.3f: ",
                        JsonTables.escape(reference.path("measured").asText()), tol))
                        .append(JsonTables.escape(String.join("; ", diff))).append('.');
            }
        }
        return sb.append("</p>\n").toString();
    }

    /** Per finding: positives, AUC with its interval, and the reference value and difference when comparable. */
    String aucTable() {
        if (roc == null || !roc.has("findings")) {
            return "";
        }
        boolean withReference = reference != null && notComparable().isEmpty();
        StringBuilder sb = new StringBuilder("<h2>Test AUC per finding</h2>\n<table id=\"auc\"><tr><th>finding</th>"
                + "<th>positives</th><th>AUC</th><th>95 % CI</th>");
        if (withReference) {
            sb.append("<th>reference</th><th>difference</th>");
        }
        sb.append("</tr>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = roc.get("findings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode f = e.getValue();
            sb.append("<tr><td>").append(JsonTables.escape(e.getKey())).append("</td><td>")
                    .append(f.path("n_pos").asInt()).append("</td><td>").append(num(f.path("auc"))).append("</td><td>")
                    .append(num(f.path("ci_low"))).append("–").append(num(f.path("ci_high"))).append("</td>");
            if (withReference) {
                JsonNode ref = reference.path("findings").path(e.getKey());
                double d = f.path("auc").asDouble(Double.NaN) - ref.asDouble(Double.NaN);
                sb.append("<td>").append(num(ref)).append("</td><td>").append(Double.isNaN(d) ? ""
                        : Math.abs(d) < 0.0005 ? "0.000" : String.format(Locale.ROOT, "%+.3f", d)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** The receipt: enough to tell a genuine result from a loading bug, or to redo the run. */
    String receipt(MachineFacts machine) {
        StringBuilder sb = new StringBuilder("<h2>Run receipt</h2>\n<table id=\"receipt\">");
        sb.append(row("commit", run == null ? "not recorded" : run.path("commit").asText("not recorded")));
        sb.append(row("finished", run == null ? "" : run.path("finished").asText("")));
        sb.append(row("settings", settings != null ? settings.summary().replace(" | data ", "\ndata ")
                : "not readable: " + settingsProblem));
        if (dataSettings != null) {
            sb.append(row("data", dataSettings.path("data_dir").asText("?")
                    + (dataSettings.path("phantom").asBoolean(false) ? " (phantom)" : "")));
        }
        if (splitSettings != null) {
            sb.append(row("data files SHA-256", splitSettings.path("data_sha256").asText("?")));
        }
        sb.append(row("split lists SHA-256", splitHash()));
        sb.append(row("kernel", run != null && run.get("kernel") != null ? RunReport.kernelLine(run.get("kernel"))
                : "not recorded"));
        sb.append(row("host", (run == null ? "?" : run.path("host").asText("?")) + ", " + machine.cores() + " cores, "
                + MachineFacts.cpu()));
        sb.append(row("Java", machine.java()));
        sb.append(row("libraries", MachineFacts.libraries() + "; ND4J backend " + machine.nd4jBackend()));
        return sb.append("</table>\n").toString();
    }

    /** SHA-256 over train, val and test lists in WORK/splits (in that order), or why there is none. */
    String splitHash() {
        Path dir = workDir.resolve("splits");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : List.of("train_list.txt", "val_list.txt", "test_list.txt")) {
                Path f = dir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    return "no " + name + " in " + dir;
                }
                sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static String row(String key, String value) {
        return "<tr><th>" + JsonTables.escape(key) + "</th><td style=\"white-space:pre-wrap\">"
                + JsonTables.escape(value) + "</td></tr>";
    }

    private static String num(JsonNode n) {
        return n == null || !n.isNumber() ? "" : String.format(Locale.ROOT, "%.3f", n.asDouble());
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
    }

    /** Parsed JSON, or null when the file is missing or not JSON (the headline then says what is missing). */
    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }
}
