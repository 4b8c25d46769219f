package org.cxrworkbook.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a dataset in the Coursera course's folder layout ({@link CourseLayout}): three CSVs written through
 * {@link CourseCsv} and the films in {@code images-small/}. Used to make a course-like folder from a phantom set
 * (tests, CI), since the course's own films cannot be shipped: the source's patient-wise split becomes
 * train-small / valid-small / test, and the first few test films are renamed to the course's Grad-CAM example
 * names ({@link CourseLayout#GRADCAM_EXAMPLES}, each its own patient) so that code looking for them finds them.
 */
public final class CourseFolderWriter {

    private CourseFolderWriter() {
    }

    /** What was written: images per split and the films renamed to the course's example names. */
    public record Written(int train, int valid, int test, List<String> renamed) {
        @Override
        public String toString() {
            return String.format("course folder: train %d, valid %d, test %d films; %s renamed to the course's examples",
                    train, valid, test, renamed);
        }
    }

    /**
     * Writes {@code splits} of {@code source} into {@code out} in the course layout, copying each film (or moving
     * it when {@code move}) into {@code images-small/}.
     */
    public static Written write(ChestXrayDataset source, SplitSet splits, Path out, boolean move) {
        CourseLayout layout = CourseLayout.COURSE;
        Path images = out.resolve(layout.imagesDir());
        List<ImageRecord> test = new ArrayList<>();
        List<String> renamed = new ArrayList<>();
        try {
            Files.createDirectories(images);
            for (int i = 0; i < splits.test().size(); i++) {
                ImageRecord r = splits.test().get(i);
                if (i < CourseLayout.GRADCAM_EXAMPLES.size()) {
                    String name = CourseLayout.GRADCAM_EXAMPLES.get(i);
                    String patient = String.valueOf(Integer.parseInt(name.substring(0, 8)));
                    test.add(ImageRecord.of(name, patient, r.findings()));
                    renamed.add(r.imageIndex() + " -> " + name);
                    transfer(source.imagePath(r), images.resolve(name), move);
                } else {
                    test.add(ImageRecord.of(r.imageIndex(), r.patientId(), r.findings()));
                    transfer(source.imagePath(r), images.resolve(r.imageIndex()), move);
                }
            }
            for (List<ImageRecord> part : List.of(splits.train(), splits.val())) {
                for (ImageRecord r : part) {
                    transfer(source.imagePath(r), images.resolve(r.imageIndex()), move);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the course folder " + out, e);
        }
        CourseCsv.write(out.resolve(layout.trainCsv()), courseRecords(splits.train()));
        CourseCsv.write(out.resolve(layout.validCsv()), courseRecords(splits.val()));
        CourseCsv.write(out.resolve(layout.testCsv()), test);
        return new Written(splits.train().size(), splits.val().size(), test.size(), renamed);
    }

    /** The course CSV carries image, patient and findings only. */
    private static List<ImageRecord> courseRecords(List<ImageRecord> records) {
        return records.stream().map(r -> ImageRecord.of(r.imageIndex(), r.patientId(), r.findings())).toList();
    }

    private static void transfer(Path from, Path to, boolean move) throws IOException {
        if (move) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
