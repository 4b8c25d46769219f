package org.cxrworkbook.data;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Streams the rows of a CSV file with their 1-based line numbers, tolerating malformed rows one by one: a row
 * with an unbalanced quote, an over-long field or line, or bytes that are not UTF-8 becomes one {@link Problem}
 * naming the file and row, and reading goes on with the next line.
 *
 * <p>Each physical line is one row, split into fields by univocity-parsers (the parser underneath Tablesaw),
 * which handles quoting and escaped quotes. Splitting into lines is done here, with a bounded buffer, because
 * univocity lets an unbalanced quote swallow the rest of the file and then aborts the whole read with a
 * {@code TextParsingException}; a quoted line break therefore counts as an unbalanced quote (none of NIH's files
 * or the course's has one). We do not use Tablesaw's {@code Table.read()} for the NIH files: their headers are
 * not a set of unique column names (brackets hold commas, the 2017 file ends in an empty field, BBox has three
 * empty ones).
 */
final class CsvRows {

    /** Longest accepted field in characters; NIH's longest (a Finding Labels cell) has under 150. */
    static final int MAX_FIELD = 4096;
    /** Longest accepted line in characters; a longer line is reported and skipped without being held in memory. */
    static final int MAX_LINE = 65_536;
    /** Most fields accepted on one line. */
    static final int MAX_FIELDS = 512;

    private CsvRows() {
    }

    /**
     * Calls {@code row} with (line, trimmed fields, empties as "") for every non-blank well-formed line, header
     * included; every malformed line is added to {@code problems} instead. When the first non-blank line (the
     * header) is malformed, reading stops there: without a header the columns are unknown.
     */
    static void forEach(Path csv, List<Problem> problems, BiConsumer<Long, String[]> row) {
        String file = csv.getFileName().toString();
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(false);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setMaxColumns(MAX_FIELDS + 1);
        settings.setMaxCharsPerColumn(MAX_LINE + 1);
        CsvParser parser = new CsvParser(settings);
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (Reader reader = new InputStreamReader(Files.newInputStream(csv), decoder)) {
            LineReader lines = new LineReader(reader);
            boolean first = true;
            String text;
            while ((text = lines.next()) != null) {
                long line = lines.number();
                if (first && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (!lines.overlong() && text.isBlank()) {
                    continue;
                }
                String problem = problem(lines.overlong(), text);
                String[] fields = null;
                if (problem == null) {
                    try {
                        fields = parser.parseLine(text);
                        problem = fieldProblem(fields);
                    } catch (TextParsingException e) {
                        problem = "malformed row (" + firstLine(e.getMessage()) + ")";
                    }
                }
                if (problem != null) {
                    problems.add(new Problem(file, line, problem + (first ? "; the header is unusable, rows not read" : "")));
                    if (first) {
                        return;
                    }
                } else {
                    row.accept(line, fields == null ? new String[0] : fields);
                }
                first = false;
            }
        } catch (IOException e) {
            problems.add(new Problem(file, 0, "cannot read: " + e.getMessage()));
        }
    }

    private static String problem(boolean overlong, String text) {
        if (overlong) {
            return "row longer than " + MAX_LINE + " characters (skipped)";
        }
        if (text.indexOf('\uFFFD') >= 0) {
            return "row is not valid UTF-8 text";
        }
        if (text.chars().filter(c -> c == '"').count() % 2 != 0) {
            return "unbalanced quote (\") in the row";
        }
        return null;
    }

    private static String fieldProblem(String[] fields) {
        if (fields.length > MAX_FIELDS) {
            return "row has more than " + MAX_FIELDS + " fields";
        }
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] != null && fields[i].length() > MAX_FIELD) {
                return "field " + (i + 1) + " is " + fields[i].length() + " characters long, at most " + MAX_FIELD
                        + " allowed";
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparsable";
        }
        int nl = s.indexOf('\n');
        String t = nl < 0 ? s : s.substring(0, nl);
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** Number of fields once trailing empty fields are dropped. */
    static int usedFields(String[] fields) {
        int n = fields.length;
        while (n > 0 && fields[n - 1].isEmpty()) {
            n--;
        }
        return n;
    }

    /** Physical lines (LF, CR or CRLF) holding at most {@link #MAX_LINE} characters each. */
    private static final class LineReader {
        private final Reader in;
        private final StringBuilder sb = new StringBuilder();
        private long number;
        private boolean overlong;
        private int pushback = -2;

        LineReader(Reader in) {
            this.in = new java.io.BufferedReader(in, 1 << 16);
        }

        /** The next line without its terminator, or null at the end of the file. */
        String next() throws IOException {
            sb.setLength(0);
            overlong = false;
            int c = pushback != -2 ? pushback : in.read();
            pushback = -2;
            if (c == -1) {
                return null;
            }
            number++;
            while (c != -1 && c != '\n' && c != '\r') {
                if (sb.length() < MAX_LINE) {
                    sb.append((char) c);
                } else {
                    overlong = true;
                }
                c = in.read();
            }
            if (c == '\r') {
                int d = in.read();
                if (d != '\n') {
                    pushback = d;
                }
            }
            return sb.toString();
        }

        long number() {
            return number;
        }

        boolean overlong() {
            return overlong;
        }
    }
}
