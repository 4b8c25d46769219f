package org.cxrworkbook.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Pointing-game and IoU scores of one heatmap method per finding and overall, next to both baselines. */
public record LocalisationReport(String method, LocalisationOptions options, List<Row> rows, int imagesScored,
                                 int imagesWithoutBoxes, int pairsSkipped) {

    /** Name of the overall row. */
    public static final String ALL = "All";

    /** One finding (or "All"): number of (image, finding) pairs and the mean scores. */
    public record Row(String finding, int pairs, double pointing, double iou, double pointingCentre,
                      double iouCentre, double pointingRandom, double iouRandom) {
    }

    /** Copies the rows. */
    public LocalisationReport {
        rows = List.copyOf(rows);
    }

    /** The overall row, if any pair was scored. */
    public java.util.Optional<Row> overall() {
        return rows.stream().filter(r -> r.finding().equals(ALL)).findFirst();
    }

    /** The table: finding, pairs, pointing and IoU for the method, the centre prior and random maps. */
    public Table table() {
        Table t = Table.create("Localisation (" + method + ", threshold " + options.threshold() + ")",
                StringColumn.create("Finding", rows.stream().map(Row::finding).toList()),
                IntColumn.create("Pairs", rows.stream().mapToInt(Row::pairs).toArray()),
                DoubleColumn.create("Pointing", rows.stream().mapToDouble(Row::pointing).toArray()),
                DoubleColumn.create("IoU", rows.stream().mapToDouble(Row::iou).toArray()),
                DoubleColumn.create("Pointing centre", rows.stream().mapToDouble(Row::pointingCentre).toArray()),
                DoubleColumn.create("IoU centre", rows.stream().mapToDouble(Row::iouCentre).toArray()),
                DoubleColumn.create("Pointing random", rows.stream().mapToDouble(Row::pointingRandom).toArray()),
                DoubleColumn.create("IoU random", rows.stream().mapToDouble(Row::iouRandom).toArray()));
        for (int i = 2; i < t.columnCount(); i++) {
            ((DoubleColumn) t.column(i)).setPrintFormatter(new java.text.DecimalFormat("0.000"), "");
        }
        return t;
    }

    /** A JSON-ready map: method, options, counts and one entry per finding. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("threshold", options.threshold());
        m.put("centre_sigma", options.centreSigma());
        m.put("random_draws", options.randomDraws());
        m.put("seed", options.seed());
        m.put("images_scored", imagesScored);
        m.put("images_without_boxes", imagesWithoutBoxes);
        m.put("pairs_skipped_boxes_outside_image", pairsSkipped);
        Map<String, Object> findings = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("pairs", r.pairs());
            f.put("pointing", r.pointing());
            f.put("iou", r.iou());
            f.put("pointing_centre", r.pointingCentre());
            f.put("iou_centre", r.iouCentre());
            f.put("pointing_random", r.pointingRandom());
            f.put("iou_random", r.iouRandom());
            findings.put(r.finding(), f);
        }
        m.put("findings", findings);
        return m;
    }

    /** {@link #toMap()} as pretty-printed JSON. */
    public String toJson() {
        return toJson(toMap());
    }

    /** Writes several methods' reports as one JSON object keyed by method (e.g. WORK/metrics/localisation.json). */
    public static java.nio.file.Path writeJson(java.nio.file.Path file, List<LocalisationReport> reports) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (LocalisationReport r : reports) {
            all.put(r.method(), r.toMap());
        }
        return org.cxrworkbook.data.AtomicFiles.writeString(file, toJson(all));
    }

    /** Pretty-printed JSON of any map of plain values (DL4J's shaded Jackson). */
    public static String toJson(Object value) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @Override
    public String toString() {
        return table().print() + System.lineSeparator() + "images scored " + imagesScored + ", without boxes "
                + imagesWithoutBoxes + ", finding pairs skipped (boxes outside image) " + pairsSkipped;
    }
}
