package org.cxrworkbook.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads NIH's {@code BBox_List_2017.csv} (header {@code Image Index,Finding Label,Bbox [x,y,w,h],,,}). */
public final class BBoxReader {

    /** The header split on commas, trailing empty fields dropped. */
    public static final List<String> HEADER = List.of("Image Index", "Finding Label", "Bbox [x", "y", "w", "h]");

    private BBoxReader() {
    }

    /** Reads every box; rows with a problem are reported and left out. {@code Infiltrate} maps to Infiltration. */
    public static Parsed<BoundingBox> read(Path csv) {
        String file = csv.getFileName().toString();
        List<BoundingBox> boxes = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        boolean[] header = {false, false};
        CsvRows.forEach(csv, problems, (line, f) -> {
            if (!header[0]) {
                header[0] = true;
                header[1] = CsvRows.usedFields(f) == HEADER.size()
                        && List.of(f).subList(0, HEADER.size()).equals(HEADER);
                if (!header[1]) {
                    problems.add(new Problem(file, 1, "wrong header: expected 'Image Index,Finding Label,Bbox [x,y,w,h],,,', found '"
                            + String.join(",", f) + "'"));
                }
                return;
            }
            if (!header[1]) {
                return;
            }
            int used = CsvRows.usedFields(f);
            if (used != HEADER.size()) {
                problems.add(new Problem(file, line, "row has " + used + " fields, expected " + HEADER.size()));
                return;
            }
            var finding = Finding.fromLabel(f[1]);
            if (finding.isEmpty()) {
                problems.add(new Problem(file, line, "unknown finding '" + f[1] + "'"));
                return;
            }
            try {
                double x = Double.parseDouble(f[2]);
                double y = Double.parseDouble(f[3]);
                double w = Double.parseDouble(f[4]);
                double h = Double.parseDouble(f[5]);
                if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(w) && Double.isFinite(h))) {
                    problems.add(new Problem(file, line, "box coordinates must be finite numbers, got x=" + f[2]
                            + " y=" + f[3] + " w=" + f[4] + " h=" + f[5]));
                    return;
                }
                if (w <= 0 || h <= 0) {
                    problems.add(new Problem(file, line, "box has non-positive size " + w + "x" + h));
                    return;
                }
                if (x + w <= 0 || y + h <= 0) {
                    problems.add(new Problem(file, line, "box (" + f[2] + ", " + f[3] + ", " + f[4] + ", " + f[5]
                            + ") lies wholly left of or above the image"));
                    return;
                }
                boxes.add(new BoundingBox(f[0], finding.get(), x, y, w, h));
                rows.add(line);
            } catch (NumberFormatException e) {
                problems.add(new Problem(file, line, "bad box coordinates '" + String.join(",", List.of(f).subList(2, 6)) + "'"));
            }
        });
        if (!header[0] && problems.isEmpty()) {
            problems.add(new Problem(file, 0, "empty file: no header and no rows"));
        }
        return new Parsed<>(boxes, rows, problems);
    }
}
