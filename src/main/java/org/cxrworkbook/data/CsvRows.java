package org.cxrworkbook.data;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Streams the rows of a CSV file with their 1-based line numbers, using univocity-parsers (the
 * parser underneath Tablesaw). We do not use Tablesaw's {@code Table.read()} for the NIH files:
 * their headers are not a set of unique column names (brackets hold commas, the 2017 file ends in an
 * empty field, BBox has three empty ones), and a bad row must become a {@link Problem} naming its
 * line instead of aborting the whole read.
 */
final class CsvRows {

    private CsvRows() {
    }

    /** Calls {@code row} with (line, trimmed fields, empties as "") for every non-blank line, header included. */
    static void forEach(Path csv, BiConsumer<Long, String[]> row) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(false);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setSkipEmptyLines(true);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setMaxColumns(512);
        CsvParser parser = new CsvParser(settings);
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            parser.beginParsing(reader);
            String[] fields;
            while ((fields = parser.parseNext()) != null) {
                long line = parser.getContext().currentLine();
                if (fields.length > 0 && fields[0].startsWith("\uFEFF")) {
                    fields[0] = fields[0].substring(1);
                }
                row.accept(line, fields);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        } finally {
            parser.stopParsing();
        }
    }

    /** Number of fields once trailing empty fields are dropped. */
    static int usedFields(String[] fields) {
        int n = fields.length;
        while (n > 0 && fields[n - 1].isEmpty()) {
            n--;
        }
        return n;
    }
}
