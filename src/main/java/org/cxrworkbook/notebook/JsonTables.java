package org.cxrworkbook.notebook;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Renders any JSON value as HTML tables, generically: an object becomes key/value rows, an array of
 * objects a table with one column per key, an array of scalars a comma list, nested values recurse.
 */
final class JsonTables {

    private JsonTables() {
    }

    /** HTML for a JSON value. */
    static String html(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        render(node, sb);
        return sb.toString();
    }

    private static void render(JsonNode node, StringBuilder sb) {
        if (node.isObject()) {
            sb.append("<table class=\"kv\">");
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                sb.append("<tr><th>").append(escape(key)).append("</th><td>");
                render(node.get(key), sb);
                sb.append("</td></tr>");
            }
            sb.append("</table>");
        } else if (node.isArray() && node.size() > 0 && allObjects(node)) {
            renderRecords(node, sb);
        } else if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : node) {
                if (item.isContainerNode()) {
                    parts.add(html(item));
                } else {
                    parts.add(scalar(item));
                }
            }
            sb.append(String.join(", ", parts));
        } else {
            sb.append(scalar(node));
        }
    }

    private static void renderRecords(JsonNode array, StringBuilder sb) {
        Set<String> columns = new LinkedHashSet<>();
        array.forEach(row -> row.fieldNames().forEachRemaining(columns::add));
        sb.append("<table class=\"records\"><tr>");
        columns.forEach(c -> sb.append("<th>").append(escape(c)).append("</th>"));
        sb.append("</tr>");
        for (JsonNode row : array) {
            sb.append("<tr>");
            for (String c : columns) {
                sb.append("<td>");
                if (row.has(c)) {
                    render(row.get(c), sb);
                }
                sb.append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table>");
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    /** A scalar as text; fractions are rounded to 4 decimals so tables stay readable. */
    static String scalar(JsonNode node) {
        if (node.isNull()) {
            return "";
        }
        if (node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())) {
            return new BigDecimal(node.asText()).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        }
        return escape(node.asText());
    }

    /** Escapes text for HTML; five replacements do not justify a library (commons-text is not on the class path). */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
