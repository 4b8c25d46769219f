package org.cxrworkbook.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.DataEntryReader;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.ImageLocator;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.NihFiles;
import org.cxrworkbook.data.Parsed;
import org.cxrworkbook.data.Problem;
import org.cxrworkbook.data.SplitLists;

/**
 * The films of an NIH-layout archive as the driver lists them, once: Data_Entry rows (with their file lines), an
 * optional official split list, and each image's file (found under {@code images/} or {@code images_NNN/images/};
 * one not found keeps its {@code images/} path and is reported by the executor that fails to read it). No image is
 * opened here.
 */
public record ArchiveFilms(Path root, String entryFile, List<ImageRecord> records, List<Long> rows, List<Film> films) {

    /** Splits the command accepts: the whole archive or one official list. */
    public static final List<String> SPLITS = List.of("all", "train_val", "test");

    /**
     * Reads {@code root}'s Data_Entry CSV (refusing it, with every problem listed, if a row is malformed) and keeps the
     * films of {@code split}, each preprocessed as {@code preprocessing}.
     */
    public static ArchiveFilms read(Path root, String split, String preprocessing) {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("unknown split '" + split + "': expected one of " + SPLITS);
        }
        if (!Files.isDirectory(root)) {
            throw new DataException(root.toString(), 0, "dataset folder not found");
        }
        Path entry = NihFiles.dataEntry(root);
        if (!Files.isRegularFile(entry)) {
            throw new DataException(root.toString(), 0, "no " + NihFiles.DATA_ENTRY + " (or " + NihFiles.DATA_ENTRY_2017
                    + ") here: not an NIH-layout folder");
        }
        Parsed<ImageRecord> parsed = DataEntryReader.read(entry);
        if (!parsed.problems().isEmpty()) {
            throw new DataException(parsed.problems());
        }
        List<ImageRecord> records = parsed.items();
        List<Long> rows = parsed.rows();
        if (!split.equals("all")) {
            Path list = root.resolve(split.equals("test") ? NihFiles.TEST_LIST : NihFiles.TRAIN_VAL_LIST);
            if (!Files.isRegularFile(list)) {
                throw new DataException(list.toString(), 0, "split list not found (needed for --split " + split + ")");
            }
            List<Problem> problems = new ArrayList<>();
            Map<String, Long> names = SplitLists.read(list, problems);
            if (!problems.isEmpty()) {
                throw new DataException(problems);
            }
            List<ImageRecord> kept = new ArrayList<>();
            List<Long> keptRows = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (names.containsKey(records.get(i).imageIndex())) {
                    kept.add(records.get(i));
                    keptRows.add(rows.get(i));
                }
            }
            records = kept;
            rows = keptRows;
        }
        if (records.isEmpty()) {
            throw new DataException(entry.toString(), 0, "no films to process (split " + split + ")");
        }
        ImageLocator locator = ImageLocator.index(root);
        List<Film> films = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ImageRecord r = records.get(i);
            films.add(new Film(i, rows.get(i), r.imageIndex(), preprocessing,
                    locator.path(r.imageIndex()).toAbsolutePath().toString()));
        }
        return new ArchiveFilms(root, entry.getFileName().toString(), List.copyOf(records), List.copyOf(rows), List.copyOf(films));
    }

    /** The problem line for a film that could not be read, located by its Data_Entry row as {@code inspect} does. */
    public Problem problem(FilmResult missing) {
        Film f = films.get(missing.position());
        return new Problem(entryFile, f.row(), missing.problem());
    }
}
