package org.cxrworkbook.data;

import java.io.IOException;
import java.io.UncheckedIOException;

/** An output file or folder that could not be written; the message names it, the cause and what was left as it was. */
public class OutputException extends UncheckedIOException {

    public OutputException(String message, IOException cause) {
        super(message, cause);
    }
}
