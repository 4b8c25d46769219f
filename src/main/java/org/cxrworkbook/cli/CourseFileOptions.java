package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.cxrworkbook.data.CourseLayout;
import picocli.CommandLine.Option;

/** Options overriding the course folder's file names (picocli mixin shared by inspect and evaluate). */
public final class CourseFileOptions {

    @Option(names = "--train-csv", paramLabel = "NAME", description = "course folder: training CSV (default train-small.csv)")
    String train;

    @Option(names = "--valid-csv", paramLabel = "NAME", description = "course folder: validation CSV (default valid-small.csv)")
    String valid;

    @Option(names = "--test-csv", paramLabel = "NAME", description = "course folder: test CSV (default test.csv)")
    String test;

    @Option(names = "--images-dir", paramLabel = "NAME", description = "course folder: film folder (default images-small)")
    String images;

    /** The course layout to read {@code dir} with when a name was given or the folder is a course folder. */
    Optional<CourseLayout> layout(Path dir) {
        if (train == null && valid == null && test == null && images == null) {
            return CourseLayout.detect(dir);
        }
        return Optional.of(CourseLayout.standard().withFiles(train, valid, test, images));
    }
}
