package org.cxrworkbook.perf.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * The per-op table of {@code cxr bench-ops} in Markdown: per operation forward/backward milliseconds of DL4J, oneDNN
 * and PyTorch with ratios to oneDNN, then per stage of the network and in total, each operation weighted by how many
 * times a training step runs it ({@link OpCase#count()}).
 */
public final class OpTable {

    private OpTable() {
    }

    /**
     * The table for one input size from the Java worker's result ({@code ops}: key, shape, count, dl4j/dnnl
     * fwd/bwd ms, max_rel_err) and the PyTorch worker's ({@code ops}: key, torch fwd/bwd ms; may be null).
     */
    public static String format(int size, JsonNode java, JsonNode torch) {
        Map<String, JsonNode> t = new LinkedHashMap<>();
        if (torch != null) {
            for (JsonNode op : torch.get("ops")) {
                t.put(op.get("key").asText(), op);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n#### %d², batch %d — ms forward / backward (median)%n%n", size,
                java.get("batch").asInt()));
        sb.append("| op | in → out (C×H×W) | × per step | DL4J | oneDNN | PyTorch | DL4J/oneDNN | PyTorch/oneDNN | check |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (JsonNode op : java.get("ops")) {
            String key = op.get("key").asText();
            double count = op.get("count").asDouble();
            double df = op.get("dl4j_fwd_ms").asDouble();
            double db = op.get("dl4j_bwd_ms").asDouble();
            double of = op.get("dnnl_fwd_ms").asDouble();
            double ob = op.get("dnnl_bwd_ms").asDouble();
            JsonNode p = t.get(key);
            double pf = p == null ? Double.NaN : p.get("torch_fwd_ms").asDouble();
            double pb = p == null ? Double.NaN : p.get("torch_bwd_ms").asDouble();
            // a oneDNN reference kernel (layout or shape its JIT kernels do not take) is named in the row
            String shown = op.path("dnnl_impl").asText().contains("ref") ? key + " (oneDNN ref kernel)" : key;
            long over = op.path("elements_over_tolerance").asLong(0);
            String check = String.format(Locale.ROOT, "%.0e", op.get("max_rel_err").asDouble())
                    + (over > 0 ? String.format(Locale.ROOT, " (%d el. over, %d ReLU flips)", over,
                    op.path("relu_flips").asLong(0)) : "");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", shown,
                    op.get("shape").asText().replace("->", " → "), count(count), pair(df, db), pair(of, ob), pair(pf, pb),
                    ratio(df + db, of + ob), ratio(pf + pb, of + ob), check));
            if (!OpCase.Kind.valueOf(op.get("kind").asText()).inTotals()) {
                continue; // repeats the single ops: not added again
            }
            String group = key.substring(0, key.indexOf('/'));
            double[] g = groups.computeIfAbsent(group, k -> new double[6]);
            double[] v = {df, db, of, ob, pf, pb};
            for (int i = 0; i < 6; i++) {
                g[i] += count * v[i];
            }
        }
        sb.append(String.format(Locale.ROOT, "%n\"dense layer\" rows run BN-ReLU-conv1×1-BN-ReLU-conv3×3 as one unit (oneDNN: "
                + "chained in blocked layout; DL4J: the six-layer graph; PyTorch: nn.Sequential), \"nchw\" rows run "
                + "oneDNN's BN+ReLU on plain NCHW; neither is added to the totals below, which weigh the single ops by the times a step runs each (a dense block of L layers: "
                + "L/2 × its narrowest + L/2 × its widest layer), ms per training step:%n%n"));
        sb.append("| stage | DL4J fwd+bwd | oneDNN fwd+bwd | PyTorch fwd+bwd | DL4J/oneDNN | PyTorch/oneDNN |\n");
        sb.append("|---|---|---|---|---|---|\n");
        double[] total = new double[6];
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            double[] g = e.getValue();
            sb.append(stageRow(e.getKey(), g));
            for (int i = 0; i < 6; i++) {
                total[i] += g[i];
            }
        }
        sb.append(stageRow("**total**", total));
        sb.append(kindBreakdown(java, t));
        return sb.toString();
    }

    /** Totals by kind of operation (convolutions, BN+ReLU, pooling, concatenation), ms per step, three ways. */
    private static String kindBreakdown(JsonNode java, Map<String, JsonNode> torch) {
        Map<String, double[]> kinds = new LinkedHashMap<>();
        for (JsonNode op : java.get("ops")) {
            String kind = op.get("kind").asText();
            if (!OpCase.Kind.valueOf(kind).inTotals()) {
                continue;
            }
            double c = op.get("count").asDouble();
            JsonNode p = torch.get(op.get("key").asText());
            double[] k = kinds.computeIfAbsent(kind, x -> new double[6]);
            k[0] += c * op.get("dl4j_fwd_ms").asDouble();
            k[1] += c * op.get("dl4j_bwd_ms").asDouble();
            k[2] += c * op.get("dnnl_fwd_ms").asDouble();
            k[3] += c * op.get("dnnl_bwd_ms").asDouble();
            k[4] += c * (p == null ? Double.NaN : p.get("torch_fwd_ms").asDouble());
            k[5] += c * (p == null ? Double.NaN : p.get("torch_bwd_ms").asDouble());
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nBy kind, ms per training step:%n%n"));
        sb.append("| kind | DL4J fwd+bwd | oneDNN fwd+bwd | PyTorch fwd+bwd | DL4J/oneDNN | PyTorch/oneDNN |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Map.Entry<String, double[]> e : kinds.entrySet()) {
            sb.append(stageRow(e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    private static String stageRow(String name, double[] g) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", name, pair(g[0], g[1]), pair(g[2], g[3]),
                pair(g[4], g[5]), ratio(g[0] + g[1], g[2] + g[3]), ratio(g[4] + g[5], g[2] + g[3]));
    }

    static String pair(double f, double b) {
        if (Double.isNaN(f) || Double.isNaN(b)) {
            return "–";
        }
        return fmt(f) + " / " + fmt(b);
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms)
                : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? "–" : String.format(Locale.ROOT, "%.1f×", a / b);
    }

    private static String count(double c) {
        return c == Math.rint(c) ? String.valueOf((long) c) : String.format(Locale.ROOT, "%.1f", c);
    }

    /** The op list of {@code size} (keys containing {@code only}) as the JSON array the PyTorch worker reads. */
    public static String opsJson(int size, int batch, String only) {
        List<String> items = new ArrayList<>();
        for (OpCase op : OpCase.densenet121(size, batch)) {
            if (op.key().contains(only)) {
                items.add(op.toJson());
            }
        }
        return "[" + String.join(",", items) + "]";
    }
}
