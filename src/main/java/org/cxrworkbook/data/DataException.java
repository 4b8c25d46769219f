package org.cxrworkbook.data;

import java.util.List;

/** Thrown when input data cannot be used; carries every problem found, each naming its file and row. */
public class DataException extends RuntimeException {

    private final List<Problem> problems;

    public DataException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public DataException(String file, long row, String message) {
        this(List.of(new Problem(file, row, message)));
    }

    public DataException(String file, long row, String message, Throwable cause) {
        this(List.of(new Problem(file, row, message)));
        initCause(cause);
    }

    /** The problems, in the order found. */
    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        StringBuilder sb = new StringBuilder(problems.size() + " problems:");
        problems.stream().limit(50).forEach(p -> sb.append("\n  ").append(p));
        if (problems.size() > 50) {
            sb.append("\n  ... and ").append(problems.size() - 50).append(" more");
        }
        return sb.toString();
    }
}
