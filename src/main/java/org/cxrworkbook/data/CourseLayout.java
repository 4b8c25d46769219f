package org.cxrworkbook.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Coursera course's folder ({@code nih/}): {@code train-small.csv}, {@code valid-small.csv}, {@code test.csv}
 * (the course's CSV layout, see {@link CourseCsv}) and the films in {@code images-small/}. Its three splits are
 * fixed by the course. File names can be overridden, e.g. for a renamed copy: {@link #withFiles}, or the
 * environment variables {@code CXR_COURSE_TRAIN}, {@code CXR_COURSE_VALID}, {@code CXR_COURSE_TEST},
 * {@code CXR_COURSE_IMAGES} (read by {@link #standard()}, so notebooks and commands see the same names).
 */
public record CourseLayout(String trainCsv, String validCsv, String testCsv, String imagesDir) {

    /** The course's own file names. */
    public static final CourseLayout COURSE = new CourseLayout("train-small.csv", "valid-small.csv", "test.csv",
            "images-small");

    /** The course's example films for Grad-CAM (week-1 assignment), in the course's order. */
    public static final List<String> GRADCAM_EXAMPLES = List.of("00008270_015.png", "00011355_002.png",
            "00029855_001.png", "00005410_000.png");

    public CourseLayout {
        for (String s : new String[] {trainCsv, validCsv, testCsv, imagesDir}) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("course layout file names must not be empty: " + trainCsv + ", "
                        + validCsv + ", " + testCsv + ", " + imagesDir);
            }
        }
    }

    /** The course's names, each replaced by its {@code CXR_COURSE_*} environment variable when set. */
    public static CourseLayout standard() {
        return COURSE.withFiles(System.getenv("CXR_COURSE_TRAIN"), System.getenv("CXR_COURSE_VALID"),
                System.getenv("CXR_COURSE_TEST"), System.getenv("CXR_COURSE_IMAGES"));
    }

    /** This layout with the given names replacing ours (a null or blank name keeps ours). */
    public CourseLayout withFiles(String train, String valid, String test, String images) {
        return new CourseLayout(or(train, trainCsv), or(valid, validCsv), or(test, testCsv), or(images, imagesDir));
    }

    private static String or(String given, String fallback) {
        return given == null || given.isBlank() ? fallback : given;
    }

    /**
     * True when {@code dir} is a course folder: it has this layout's training CSV or image folder and no NIH
     * Data_Entry CSV (a folder with a Data_Entry CSV is read as the NIH layout).
     */
    public boolean matches(Path dir) {
        return !NihFiles.hasDataEntry(dir)
                && (Files.isRegularFile(dir.resolve(trainCsv)) || Files.isDirectory(dir.resolve(imagesDir)));
    }

    /** The layout {@code dir} is in: {@link #standard()} if it matches, else empty (NIH layout). */
    public static Optional<CourseLayout> detect(Path dir) {
        CourseLayout layout = standard();
        return layout.matches(dir) ? Optional.of(layout) : Optional.empty();
    }

    /** Split name → CSV file name: train, valid, test (the course's names for its splits). */
    public Map<String, String> splitFiles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("train", trainCsv);
        m.put("valid", validCsv);
        m.put("test", testCsv);
        return m;
    }
}
