package org.cxrworkbook.data;

import java.nio.file.Path;

/**
 * A file an earlier notebook (or command) writes is not there yet, e.g. notebook 07 run before 06 has no
 * {@code model.zip}: the message says in one line which notebook to run first. It carries no stack trace, so a
 * notebook shows that line and nothing else; a command reports it as bad input.
 */
public final class RunFirstException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String notebook;
    private final Path missing;

    /**
     * "Run {@code notebook} first (or {@code command}): it saves {@code missing}'s name, which this step reads;
     * there is none in {@code missing}'s folder."
     */
    public RunFirstException(String notebook, String command, Path missing) {
        super("Run notebook " + notebook + " first" + (command.isEmpty() ? "" : " (or " + command + ")") + ": it saves "
                + missing.getFileName() + ", which this step reads, and there is none in "
                + (missing.toAbsolutePath().getParent() == null ? missing : missing.toAbsolutePath().getParent()) + ".");
        this.notebook = notebook;
        this.missing = missing;
    }

    /** The notebook to run first, e.g. {@code 06-densenet-training.ipynb}. */
    public String notebook() {
        return notebook;
    }

    /** The file that is missing. */
    public Path missing() {
        return missing;
    }

    /** No stack trace: the message is the whole story (the notebook shows one line). */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
