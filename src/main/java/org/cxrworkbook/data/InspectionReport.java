package org.cxrworkbook.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code inspect} found in a dataset folder: counts, splits, patient overlaps and every problem. */
public record InspectionReport(int images, int patients, Map<String, Integer> findings,
                               Map<String, SplitSize> splits, List<Overlap> overlap, List<Problem> problems) {

    /** Images and distinct patients of one split list. */
    public record SplitSize(int images, int patients) {
    }

    public InspectionReport {
        findings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(findings));
        splits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(splits));
        overlap = List.copyOf(overlap);
        problems = List.copyOf(problems);
    }

    /** True when at least one problem was found. */
    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * The report as a JSON object with exactly the keys images, patients, findings, splits, overlap,
     * problems. Written by hand: the structure is tiny and the only JSON library on the class path is
     * the copy of Jackson shaded inside ND4J.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"images\": ").append(images).append(",\n");
        sb.append("  \"patients\": ").append(patients).append(",\n");
        sb.append("  \"findings\": {");
        List<String> items = new ArrayList<>();
        findings.forEach((k, v) -> items.add(str(k) + ": " + v));
        sb.append(String.join(", ", items)).append("},\n");
        items.clear();
        splits.forEach((k, v) -> items.add(str(k) + ": {\"images\": " + v.images() + ", \"patients\": " + v.patients() + "}"));
        sb.append("  \"splits\": {").append(String.join(", ", items)).append("},\n");
        items.clear();
        for (Overlap o : overlap) {
            items.add("{\"splits\": [" + str(o.splitA()) + ", " + str(o.splitB()) + "], \"patients\": ["
                    + String.join(", ", o.patientIds().stream().map(InspectionReport::str).toList()) + "]}");
        }
        sb.append("  \"overlap\": [").append(String.join(", ", items)).append("],\n");
        items.clear();
        for (Problem p : problems) {
            items.add("\n    {\"file\": " + str(p.file()) + ", \"row\": " + p.row() + ", \"message\": " + str(p.message()) + "}");
        }
        sb.append("  \"problems\": [").append(String.join(",", items)).append(items.isEmpty() ? "]\n" : "\n  ]\n");
        return sb.append("}\n").toString();
    }

    /** The report as a human-readable table. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("images   %,d%npatients %,d%n%nfinding              images  prevalence%n", images, patients));
        findings.forEach((k, v) -> sb.append(String.format("%-20s %7d  %9.2f%%%n", k, v, images == 0 ? 0.0 : 100.0 * v / images)));
        sb.append(String.format("%nsplit       images  patients%n"));
        if (splits.isEmpty()) {
            sb.append("(no split lists)\n");
        }
        splits.forEach((k, v) -> sb.append(String.format("%-10s %7d  %8d%n", k, v.images(), v.patients())));
        sb.append(String.format("%npatient overlap: %s%n", overlap.isEmpty() ? "none" : ""));
        overlap.forEach(o -> sb.append("  ").append(o).append('\n'));
        sb.append(String.format("%nproblems: %d%n", problems.size()));
        problems.forEach(p -> sb.append("  ").append(p).append('\n'));
        return sb.toString();
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
