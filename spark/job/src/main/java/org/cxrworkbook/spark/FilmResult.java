package org.cxrworkbook.spark;

import java.io.Serializable;

/**
 * What a task returns for one film: the network's output at the requested vertex, flattened, or — when the film
 * could not be read — no values and the reason.
 */
public record FilmResult(int position, float[] values, String problem) implements Serializable {

    /** A film that could not be read. */
    public static FilmResult missing(int position, String problem) {
        return new FilmResult(position, null, problem);
    }

    /** True when the film was read and forwarded. */
    public boolean ok() {
        return values != null;
    }
}
