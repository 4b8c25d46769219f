package org.cxrworkbook.data;

/** A problem found in input data, located by file and 1-based row (0 when not row-specific). */
public record Problem(String file, long row, String message) {

    @Override
    public String toString() {
        return row > 0 ? file + ":" + row + ": " + message : file + ": " + message;
    }
}
