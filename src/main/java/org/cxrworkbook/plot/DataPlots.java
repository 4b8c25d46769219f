package org.cxrworkbook.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.image.Pixels;
import org.cxrworkbook.image.PngReader;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Charts and pictures of a dataset: label counts, sample radiographs with their labels, split sizes. */
public final class DataPlots {

    private DataPlots() {
    }

    /** Bar chart of images per finding in canonical order, "No Finding" last. */
    public static CategoryChart findingCounts(ChestXrayDataset dataset) {
        return findingCounts(dataset.findingCounts(), "Images per finding (" + dataset.records().size() + " images)");
    }

    /** Bar chart of a finding → count map (e.g. {@link ChestXrayDataset#findingCounts(List)}), in the map's order. */
    public static CategoryChart findingCounts(Map<String, Integer> counts, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title(title)
                .xAxisTitle("finding").yAxisTitle("images").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        // counts go into the category names: a label inside a bar of 5 images among bars of 17,000 cannot be read
        List<String> names = counts.entrySet().stream()
                .map(e -> e.getKey() + " (" + Charts.number(e.getValue()) + ")").toList();
        chart.addSeries("images", new ArrayList<>(names), new ArrayList<Number>(counts.values()));
        return Charts.tidy(chart);
    }

    /** Grouped bars of images and patients per split (map order, e.g. {@code SplitSet.asMap()}). */
    public static CategoryChart splitSizes(Map<String, List<ImageRecord>> splits, String title) {
        List<String> names = new ArrayList<>(splits.keySet());
        List<Number> images = new ArrayList<>();
        List<Number> patients = new ArrayList<>();
        splits.values().forEach(list -> {
            images.add(list.size());
            patients.add(list.stream().map(ImageRecord::patientId).distinct().count());
        });
        CategoryChart chart = new CategoryChartBuilder().width(600).height(400).title(title)
                .xAxisTitle("split").yAxisTitle("count").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("images", names, images);
        chart.addSeries("patients", names, patients);
        return Charts.tidy(chart);
    }

    /** Grouped bars of each finding's prevalence (% of images) per split: a stratified split keeps the bars level. */
    public static CategoryChart splitPrevalence(Map<String, List<ImageRecord>> splits, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title(title)
                .xAxisTitle("finding").yAxisTitle("% of images").build();
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        splits.forEach((name, list) -> {
            Map<String, Integer> counts = ChestXrayDataset.findingCounts(list);
            counts.remove(Finding.NO_FINDING);
            List<Number> pct = counts.values().stream()
                    .map(c -> (Number) (list.isEmpty() ? 0.0 : 100.0 * c / list.size())).toList();
            chart.addSeries(name, new ArrayList<>(counts.keySet()), pct);
        });
        return Charts.tidy(chart);
    }

    /** Up to {@code count} example images: the first "No Finding" one, then the first carrying each finding (canonical order). */
    public static List<ImageRecord> examples(ChestXrayDataset dataset, int count) {
        List<ImageRecord> picked = new ArrayList<>();
        dataset.records().stream().filter(ImageRecord::noFinding).findFirst().ifPresent(picked::add);
        for (Finding f : Finding.all()) {
            dataset.records().stream().filter(r -> r.has(f) && !picked.contains(r)).findFirst().ifPresent(picked::add);
        }
        return picked.subList(0, Math.min(count, picked.size()));
    }

    /**
     * A grid of radiographs (channel 0, so RGBA files show correctly; 16-bit scaled to 8) with each
     * image's name and labels above it.
     */
    public static BufferedImage sampleGrid(ChestXrayDataset dataset, List<ImageRecord> records, int columns, int tileSize) {
        int cols = Math.max(1, Math.min(columns, records.size()));
        int rows = (records.size() + cols - 1) / cols;
        int caption = 34;
        BufferedImage grid = new BufferedImage(cols * tileSize, Math.max(1, rows) * (tileSize + caption), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = captionCanvas(grid);
        for (int i = 0; i < records.size(); i++) {
            ImageRecord r = records.get(i);
            int x = (i % cols) * tileSize;
            int y = (i / cols) * (tileSize + caption);
            g.drawImage(grey(dataset.imagePath(r)), x, y + caption, tileSize, tileSize, null);
            g.setColor(Color.BLACK);
            drawCaption(g, r.imageIndex(), x + 3, y + 13, tileSize - 6);
            drawCaption(g, r.findingLabels().replace("|", ", "), x + 3, y + 28, tileSize - 6);
        }
        g.dispose();
        return grid;
    }

    /** Findings that are diffuse (no lesion to box: the phantom draws none, NIH's box list has none). */
    private static final java.util.Set<Finding> DIFFUSE = java.util.EnumSet.of(Finding.EDEMA, Finding.EMPHYSEMA, Finding.FIBROSIS);

    /**
     * One film per finding (canonical order): for each, a film whose only finding it is, preferring one with a box
     * for it; else any film carrying it. Findings no film carries are left out.
     */
    public static Map<Finding, ImageRecord> findingExamples(ChestXrayDataset dataset) {
        Map<Finding, ImageRecord> picked = new java.util.LinkedHashMap<>();
        for (Finding f : Finding.all()) {
            List<ImageRecord> carrying = dataset.records().stream().filter(r -> r.has(f)).toList();
            java.util.function.Predicate<ImageRecord> boxed =
                    r -> dataset.boxes(r.imageIndex()).stream().anyMatch(b -> b.finding() == f);
            java.util.function.Predicate<ImageRecord> alone = r -> r.findings().size() == 1;
            carrying.stream().filter(alone.and(boxed)).findFirst()
                    .or(() -> carrying.stream().filter(alone).findFirst())
                    .or(() -> carrying.stream().filter(boxed).findFirst())
                    .or(() -> carrying.stream().findFirst())
                    .ifPresent(r -> picked.put(f, r));
        }
        return picked;
    }

    /**
     * One film per finding at {@code tileSize}² with that finding's boxes drawn (a white line inside a black one, so it
     * shows on bright and dark film), captioned with the finding, the image name and the box size in the PNG's
     * pixels, or "diffuse, no box" (Edema, Emphysema, Fibrosis have none; NIH boxed 8 of its findings).
     * A grey image, so it stays small as a file.
     */
    public static BufferedImage findingGallery(ChestXrayDataset dataset, int columns, int tileSize) {
        if (columns < 1 || tileSize < 32) {
            throw new IllegalArgumentException("columns must be at least 1 and tileSize at least 32, got " + columns
                    + " and " + tileSize);
        }
        List<Map.Entry<Finding, ImageRecord>> films = new ArrayList<>(findingExamples(dataset).entrySet());
        int cols = Math.max(1, Math.min(columns, films.size()));
        int rows = Math.max(1, (films.size() + cols - 1) / cols);
        int caption = 30;
        BufferedImage grid = new BufferedImage(cols * tileSize, rows * (tileSize + caption), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = captionCanvas(grid);
        for (int i = 0; i < films.size(); i++) {
            Finding f = films.get(i).getKey();
            ImageRecord r = films.get(i).getValue();
            int x = (i % cols) * tileSize;
            int y = (i / cols) * (tileSize + caption);
            BufferedImage film = grey(dataset.imagePath(r));
            double scale = (double) tileSize / film.getWidth();
            g.drawImage(film, x, y + caption, tileSize, tileSize, null);
            List<org.cxrworkbook.data.BoundingBox> boxes = dataset.boxes(r.imageIndex()).stream()
                    .filter(b -> b.finding() == f).toList();
            for (org.cxrworkbook.data.BoundingBox b : boxes) {
                int bx = x + (int) Math.round(b.x() * scale);
                int by = y + caption + (int) Math.round(b.y() * scale);
                int bw = Math.max(2, (int) Math.round(b.width() * scale));
                int bh = Math.max(2, (int) Math.round(b.height() * scale));
                g.setColor(Color.BLACK);
                g.drawRect(bx - 1, by - 1, bw + 1, bh + 1);
                g.setColor(Color.WHITE);
                g.drawRect(bx, by, bw - 1, bh - 1);
            }
            g.setColor(Color.BLACK);
            drawCaption(g, f.label() + "  " + r.imageIndex(), x + 3, y + 12, tileSize - 6);
            String what = boxes.isEmpty() ? (DIFFUSE.contains(f) ? "diffuse, no box" : "no box in the data")
                    : boxes.size() + (boxes.size() == 1 ? " box " : " boxes ") + boxSizes(boxes);
            if (r.findings().size() > 1) {
                what += "; also " + r.findings().stream().filter(o -> o != f).map(Finding::label)
                        .collect(java.util.stream.Collectors.joining(", "));
            }
            drawCaption(g, what, x + 3, y + 25, tileSize - 6);
        }
        g.dispose();
        return grid;
    }

    /**
     * Sets of films side by side: one row per set (in the map's order), its films at {@code tileSize}² (square, channel
     * 0), each captioned with the set's name and the file name, so the same film of two sets (same name) sits in the
     * same column. A grey image.
     */
    public static BufferedImage filmRows(Map<String, List<Path>> sets, int tileSize) {
        if (sets.isEmpty() || tileSize < 32) {
            throw new IllegalArgumentException("need at least one set and tileSize at least 32, got " + sets.size()
                    + " sets and " + tileSize);
        }
        int cols = sets.values().stream().mapToInt(List::size).max().orElse(1);
        int caption = 16;
        BufferedImage grid = new BufferedImage(Math.max(1, cols) * tileSize, sets.size() * (tileSize + caption),
                BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = captionCanvas(grid);
        int row = 0;
        for (Map.Entry<String, List<Path>> set : sets.entrySet()) {
            int y = row * (tileSize + caption);
            for (int i = 0; i < set.getValue().size(); i++) {
                Path file = set.getValue().get(i);
                int x = i * tileSize;
                g.drawImage(grey(file), x, y + caption, tileSize, tileSize, null);
                g.setColor(Color.BLACK);
                drawCaption(g, set.getKey() + "  " + file.getFileName(), x + 3, y + 12, tileSize - 6);
            }
            row++;
        }
        g.dispose();
        return grid;
    }

    /** White background, smooth scaling and anti-aliased 11-pt captions: the drawing set-up of both film grids. */
    private static Graphics2D captionCanvas(BufferedImage grid) {
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return g;
    }

    private static String boxSizes(List<org.cxrworkbook.data.BoundingBox> boxes) {
        return boxes.stream().map(b -> Math.round(b.width()) + "×" + Math.round(b.height()) + " px")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static void drawCaption(Graphics2D g, String text, int x, int y, int width) {
        FontMetrics fm = g.getFontMetrics();
        String s = text;
        while (s.length() > 1 && fm.stringWidth(s) > width) {
            s = s.substring(0, s.length() - 2) + "…";
        }
        g.drawString(s, x, y);
    }

    /** Channel 0 of a PNG as an 8-bit grey image, decoded by the image stage's reader (16-bit scaled to 0..255). */
    static BufferedImage grey(Path file) {
        Pixels p = PngReader.read(file);
        BufferedImage out = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_GRAY);
        var dst = out.getRaster();
        float[] d = p.data();
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                dst.setSample(x, y, 0, Math.max(0, Math.min(255, Math.round(d[y * p.width() + x]))));
            }
        }
        return out;
    }
}
