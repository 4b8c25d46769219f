package org.cxrworkbook.data;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** Multi-label and per-patient statistics of a list of images, as tables that print well in a notebook. */
public final class LabelStats {

    private LabelStats() {
    }

    /** How many images carry 0, 1, 2, … findings, with their share. */
    public static Table findingsPerImage(List<ImageRecord> records) {
        return histogram("findings per image", records.stream().map(r -> r.findings().size()).toList(), records.size());
    }

    /** How many patients have 1, 2, … images, with their share of patients. */
    public static Table imagesPerPatient(List<ImageRecord> records) {
        Collection<Long> perPatient = records.stream()
                .collect(Collectors.groupingBy(ImageRecord::patientId, Collectors.counting())).values();
        return histogram("images per patient", perPatient.stream().map(Long::intValue).toList(), perPatient.size());
    }

    /** Co-occurrence counts: cell (row a, column b) = images carrying both findings a and b (diagonal = images with a). */
    public static Table cooccurrence(List<ImageRecord> records) {
        int n = Finding.COUNT;
        int[][] counts = new int[n][n];
        for (ImageRecord r : records) {
            for (Finding a : r.findings()) {
                for (Finding b : r.findings()) {
                    counts[a.ordinal()][b.ordinal()]++;
                }
            }
        }
        Table t = Table.create("co-occurrence", StringColumn.create("finding", Finding.labels()));
        for (Finding b : Finding.all()) {
            int[] column = new int[n];
            for (int a = 0; a < n; a++) {
                column[a] = counts[a][b.ordinal()];
            }
            t.addColumns(IntColumn.create(b.label(), column));
        }
        return t;
    }

    private static Table histogram(String name, List<Integer> values, int total) {
        Map<Integer, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        int[] keys = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] n = counts.values().stream().mapToInt(Integer::intValue).toArray();
        double[] share = counts.values().stream().mapToDouble(c -> total == 0 ? 0 : (double) c / total).toArray();
        DoubleColumn shareColumn = DoubleColumn.create("share", share);
        shareColumn.setPrintFormatter(NumberColumnFormatter.percent(1));
        return Table.create(name, IntColumn.create(name, keys), IntColumn.create("count", n), shareColumn);
    }
}
