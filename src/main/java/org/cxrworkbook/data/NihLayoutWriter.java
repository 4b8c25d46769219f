package org.cxrworkbook.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes the metadata files of the NIH ChestX-ray14 layout: {@code Data_Entry_2017_v2020.csv},
 * {@code BBox_List_2017.csv}, {@code train_val_list.txt} and {@code test_list.txt}.
 *
 * <p>Each file is written to a temporary sibling and renamed into place, so a reader never sees a
 * half-written file. Hand-written rather than via Tablesaw because the NIH headers are not plain CSV
 * (bracketed names hold commas: the v2020 header has 11 fields, the box header 6).
 */
public final class NihLayoutWriter {

    /** Exact v2020 Data_Entry header (11 fields). */
    public static final String DATA_ENTRY_HEADER = String.join(",", DataEntryReader.HEADER);
    /** Exact BBox_List_2017 header: the six names NIH gives, then three empty ones (the reader checks the first six). */
    public static final String BBOX_HEADER = String.join(",", BBoxReader.HEADER) + ",,,";
    /** Split name keys understood by {@link #write}: "train_val" and "test". */
    public static final List<String> SPLIT_NAMES = List.of("train_val", "test");

    private NihLayoutWriter() {
    }

    /**
     * Writes the four metadata files under {@code root} (created if missing).
     *
     * @param splitLists image names per split, keyed "train_val" and/or "test"; other keys are rejected
     */
    public static void write(Path root, List<ImageRecord> records, List<BoundingBox> boxes,
                             Map<String, List<String>> splitLists) {
        for (String key : splitLists.keySet()) {
            if (!SPLIT_NAMES.contains(key)) {
                throw new IllegalArgumentException("unknown split list '" + key + "', expected one of " + SPLIT_NAMES);
            }
        }
        try {
            Files.createDirectories(root);
            writeAtomically(root.resolve(NihFiles.DATA_ENTRY), dataEntry(records));
            writeAtomically(root.resolve(NihFiles.BBOX_LIST), bboxList(boxes));
            if (splitLists.containsKey("train_val")) {
                writeAtomically(root.resolve(NihFiles.TRAIN_VAL_LIST), lines(splitLists.get("train_val")));
            }
            if (splitLists.containsKey("test")) {
                writeAtomically(root.resolve(NihFiles.TEST_LIST), lines(splitLists.get("test")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write NIH layout under " + root, e);
        }
    }

    /** The Data_Entry row of one record, as NIH writes it (11 fields). */
    public static String dataEntryRow(ImageRecord r) {
        return String.join(",", r.imageIndex(), r.findingLabels(), Integer.toString(r.followUp()),
                r.patientId(), Integer.toString(r.patientAge()), r.patientGender(), r.viewPosition(),
                Integer.toString(r.originalWidth()), Integer.toString(r.originalHeight()),
                number(r.pixelSpacingX()), number(r.pixelSpacingY()));
    }

    /** The BBox_List row of one box (6 fields; Infiltration spelled {@code Infiltrate} as NIH does). */
    public static String bboxRow(BoundingBox b) {
        String label = b.finding() == Finding.INFILTRATION ? "Infiltrate" : b.finding().label();
        return String.join(",", b.imageIndex(), label, decimal(b.x()), decimal(b.y()), decimal(b.width()),
                decimal(b.height()));
    }

    private static String dataEntry(List<ImageRecord> records) {
        StringBuilder sb = new StringBuilder(DATA_ENTRY_HEADER).append('\n');
        for (ImageRecord r : records) {
            sb.append(dataEntryRow(r)).append('\n');
        }
        return sb.toString();
    }

    private static String bboxList(List<BoundingBox> boxes) {
        StringBuilder sb = new StringBuilder(BBOX_HEADER).append('\n');
        for (BoundingBox b : boxes) {
            sb.append(bboxRow(b)).append('\n');
        }
        return sb.toString();
    }

    private static String lines(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('\n');
        }
        return sb.toString();
    }

    /** Shortest round-trip decimal, without a trailing ".0" for whole numbers. */
    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    /** A float as NIH's box list writes it: always with a decimal point. */
    private static String decimal(double v) {
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
