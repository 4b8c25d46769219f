package org.cxrworkbook.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes split lists ({@code train_val_list.txt}, {@code test_list.txt}, …): one image name per line. */
public final class SplitLists {

    private SplitLists() {
    }

    /** Image names in file order mapped to their 1-based line; blank lines skipped, repeated names reported. */
    public static Map<String, Long> read(Path list, List<Problem> problems) {
        String file = list.getFileName().toString();
        Map<String, Long> names = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String name = lines.get(i);
                if (i == 0 && name.startsWith("\uFEFF")) {
                    name = name.substring(1); // a UTF-8 byte-order mark, as some editors write
                }
                name = name.strip();
                if (name.isEmpty()) {
                    continue;
                }
                Long first = names.putIfAbsent(name, i + 1L);
                if (first != null) {
                    problems.add(new Problem(file, i + 1L, "image " + name + " listed twice (first at row " + first + ")"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        return names;
    }

    /** Writes {@code train_list.txt}, {@code val_list.txt}, {@code test_list.txt} into {@code dir} (each via a temporary file, so none is half-written). */
    public static List<Path> write(Path dir, SplitSet splits) {
        List<Path> written = new ArrayList<>();
        written.add(write(dir.resolve(NihFiles.TRAIN_LIST), splits.train()));
        written.add(write(dir.resolve(NihFiles.VAL_LIST), splits.val()));
        written.add(write(dir.resolve(NihFiles.TEST_LIST), splits.test()));
        return written;
    }

    /** Writes one list of image names, atomically replacing the file. */
    public static Path write(Path file, List<ImageRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (ImageRecord r : records) {
            sb.append(r.imageIndex()).append('\n');
        }
        return AtomicFiles.writeString(file, sb.toString());
    }
}
