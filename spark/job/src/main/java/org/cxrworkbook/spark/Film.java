package org.cxrworkbook.spark;

import java.io.Serializable;

/**
 * One film as a task sees it: its position in the job's film list, its Data_Entry row (1-based file line, for
 * messages), its NIH name, the preprocessing it gets ({@link Preprocessing} key, e.g. "test") and its file on the
 * shared path.
 */
public record Film(int position, long row, String imageIndex, String preprocessing, String path) implements Serializable {
}
