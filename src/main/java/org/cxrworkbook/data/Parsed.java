package org.cxrworkbook.data;

import java.util.List;

/** What a reader got out of a file: the items it could read, the 1-based row of each, and every problem it met, in file order. */
public record Parsed<T>(List<T> items, List<Long> rows, List<Problem> problems) {

    public Parsed {
        items = List.copyOf(items);
        rows = List.copyOf(rows);
        if (rows.size() != items.size()) {
            throw new IllegalArgumentException("one row number per item expected");
        }
        problems = List.copyOf(problems);
    }

    /** The items, or a {@link DataException} listing every problem. */
    public List<T> orThrow() {
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return items;
    }
}
