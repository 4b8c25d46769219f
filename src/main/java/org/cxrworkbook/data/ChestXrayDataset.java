package org.cxrworkbook.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * A chest X-ray dataset on disk: records, boxes, image files and splits. Two layouts are read: NIH ChestX-ray14's
 * (real download or phantom: Data_Entry CSV, images/, optional boxes and split lists) and the Coursera course's
 * folder ({@link CourseLayout}: train-small.csv, valid-small.csv, test.csv, images-small/, whose three splits are
 * fixed). {@link #load(Path)} tells them apart by the files present.
 */
public final class ChestXrayDataset {

    private final Path root;
    private final List<ImageRecord> records;
    private final Map<String, ImageRecord> byName;
    private final List<BoundingBox> boxes;
    private final Map<String, List<BoundingBox>> boxesByName;
    private final ImageLocator locator;
    private final Map<String, List<ImageRecord>> officialSplits;
    private final CourseLayout course;

    private ChestXrayDataset(Path root, List<ImageRecord> records, List<BoundingBox> boxes, ImageLocator locator,
                             Map<String, List<ImageRecord>> officialSplits, CourseLayout course) {
        this.root = root;
        this.course = course;
        this.records = List.copyOf(records);
        this.byName = this.records.stream().collect(Collectors.toMap(ImageRecord::imageIndex, Function.identity()));
        this.boxes = List.copyOf(boxes);
        this.boxesByName = this.boxes.stream().collect(Collectors.groupingBy(BoundingBox::imageIndex));
        this.locator = locator;
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        officialSplits.forEach((k, v) -> splits.put(k, List.copyOf(v)));
        this.officialSplits = Collections.unmodifiableMap(splits);
    }

    /**
     * Reads the dataset and checks it in one pass: CSV headers and rows, labels, duplicates, that every
     * image exists and is a complete PNG, boxes and split lists naming known images, official splits
     * disjoint by patient. Throws {@link DataException} listing ALL problems found.
     */
    public static ChestXrayDataset load(Path root) {
        return load(root, true);
    }

    /**
     * As {@link #load(Path)}; with {@code readImageHeaders} false image files are only checked to exist,
     * not opened (saves seconds on the 112,120-image real download; a broken PNG then fails when read).
     */
    public static ChestXrayDataset load(Path root, boolean readImageHeaders) {
        return of(DatasetScan.run(root, readImageHeaders));
    }

    /** Reads a course folder with the given file names (e.g. renamed CSVs); problems as in {@link #load(Path)}. */
    public static ChestXrayDataset load(Path root, CourseLayout layout) {
        return of(DatasetScan.runCourse(root, layout, true));
    }

    private static ChestXrayDataset of(DatasetScan scan) {
        if (!scan.problems.isEmpty()) {
            throw new DataException(scan.problems);
        }
        Map<String, List<ImageRecord>> official = new LinkedHashMap<>();
        for (String split : scan.course != null ? List.of("train", "valid", "test") : List.of("train_val", "test")) {
            if (scan.lists.containsKey(split)) {
                official.put(split, scan.lists.get(split));
            }
        }
        return new ChestXrayDataset(scan.root, scan.records, scan.boxes, scan.locator, official, scan.course);
    }

    /** True when {@code dir} holds a dataset in either layout (a Data_Entry CSV, or the course's files). */
    public static boolean exists(Path dir) {
        return NihFiles.hasDataEntry(dir) || CourseLayout.detect(dir).isPresent();
    }

    /** The course layout when this is the course's folder, else empty (NIH layout). */
    public Optional<CourseLayout> course() {
        return Optional.ofNullable(course);
    }

    /** True for the course's folder (fixed train/valid/test splits from its three CSVs). */
    public boolean isCourse() {
        return course != null;
    }

    /** The file holding the labels: the Data_Entry CSV, or the course's training CSV. */
    public Path labelsFile() {
        return course != null ? root.resolve(course.trainCsv()) : NihFiles.dataEntry(root);
    }

    /**
     * Every file the labels are read from: the Data_Entry CSV, or the course's three CSVs (train, valid, test), e.g.
     * for provenance and for cache keys that must change when a label changes.
     */
    public List<Path> labelFiles() {
        return course != null ? courseFiles(root, course) : List.of(NihFiles.dataEntry(root));
    }

    /**
     * As {@link #labelFiles()} for a folder not loaded (no row is read): the course's CSVs when {@code root} is a course
     * folder ({@link CourseLayout#detect}), else its Data_Entry CSV.
     */
    public static List<Path> labelFiles(Path root) {
        return CourseLayout.detect(root).map(l -> courseFiles(root, l)).orElseGet(() -> List.of(NihFiles.dataEntry(root)));
    }

    private static List<Path> courseFiles(Path root, CourseLayout layout) {
        return layout.splitFiles().values().stream().map(root::resolve).toList();
    }

    /**
     * SHA-256 (hex) of the label files: for the NIH layout that of the Data_Entry CSV itself (as {@code sha256sum}
     * gives it), for the course's folder that of its three CSVs in order, each preceded by its file name.
     */
    public String labelsSha256() {
        return sha256(labelFiles());
    }

    /** {@link #labelsSha256()} of a list of files (one file: the SHA-256 of its bytes). */
    static String sha256(List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                if (files.size() > 1) {
                    md.update((f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the label file " + f + ": " + e, e);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "course folder (train-small.csv, valid-small.csv, test.csv, images-small/)" or "NIH layout". */
    public String layoutName() {
        return course != null ? "course folder (" + course.trainCsv() + ", " + course.validCsv() + ", "
                + course.testCsv() + ", " + course.imagesDir() + "/)" : "NIH layout";
    }

    /** The dataset folder. */
    public Path root() {
        return root;
    }

    /** All images, in Data_Entry order. */
    public List<ImageRecord> records() {
        return records;
    }

    /** The record of one image. */
    public Optional<ImageRecord> record(String imageIndex) {
        return Optional.ofNullable(byName.get(imageIndex));
    }

    /** All boxes from BBox_List_2017.csv (empty if the file is absent). */
    public List<BoundingBox> boxes() {
        return boxes;
    }

    /** The boxes of one image (usually none). */
    public List<BoundingBox> boxes(String imageIndex) {
        return boxesByName.getOrDefault(imageIndex, List.of());
    }

    /**
     * The first {@code limit} of {@code records} (e.g. the test split) that have at least one lesion box, in their
     * order: the films a heatmap can be scored on (notebook 08, {@code ./cxr gradcam}).
     */
    public List<ImageRecord> withBoxes(List<ImageRecord> records, long limit) {
        return records.stream().filter(r -> !boxes(r.imageIndex()).isEmpty()).limit(limit).toList();
    }

    /**
     * The films notebook 08 explains: the first {@code limit} of {@code records} with lesion boxes
     * ({@link #withBoxes}); when none of them has a box (the course's folder has no box list) the course's example
     * films among them first ({@link CourseLayout#GRADCAM_EXAMPLES}, in the course's order), then the others in order.
     */
    public List<ImageRecord> filmsToExplain(List<ImageRecord> records, long limit) {
        List<ImageRecord> boxed = withBoxes(records, limit);
        if (!boxed.isEmpty()) {
            return boxed;
        }
        List<ImageRecord> out = new ArrayList<>();
        for (String name : CourseLayout.GRADCAM_EXAMPLES) {
            records.stream().filter(r -> r.imageIndex().equals(name)).findFirst().ifPresent(out::add);
        }
        records.stream().filter(r -> !out.contains(r)).forEach(out::add);
        return List.copyOf(out.subList(0, (int) Math.min(limit, out.size())));
    }

    /**
     * One sentence on {@link #filmsToExplain} films: how many, how many have lesion boxes, and, without boxes, that the
     * localisation scores have nothing to score and which course example films come first.
     */
    public String describeFilmsToExplain(List<ImageRecord> films) {
        long withBoxes = films.stream().filter(r -> !boxes(r.imageIndex()).isEmpty()).count();
        if (withBoxes > 0) {
            return withBoxes + " test films with lesion boxes" + (withBoxes < films.size() ? " (of " + films.size() + ")" : "");
        }
        long examples = films.stream().filter(r -> CourseLayout.GRADCAM_EXAMPLES.contains(r.imageIndex())).count();
        return films.size() + " test films, none with a lesion box (" + (isCourse() ? "the course's folder has no box "
                + "list" : "no box in this test split") + "), so the pointing game and IoU below have no pairs to score"
                + (examples == 0 ? "" : "; the course's " + examples + " example film" + (examples == 1 ? "" : "s")
                + (examples < films.size() ? " first, then other test films" : ""));
    }

    /** The image file: {@code images/NAME} or {@code images_NNN/images/NAME} (real download). */
    public Path imagePath(ImageRecord r) {
        return locator.path(r.imageIndex());
    }

    /**
     * The PNG header of an image file: its width and height are the pixel space of its lesion boxes (NIH's boxes
     * are pixels of the 1024² PNG; Data_Entry's {@code OriginalImage[Width,Height]} is the DICOM's size before
     * downscaling and must never be used to place them).
     */
    public PngHeader pngHeader(ImageRecord r) {
        return PngHeader.read(imagePath(r));
    }

    /**
     * "train_val" and "test" from the official list files, when present (restricted to this dataset's images);
     * for the course's folder "train", "valid" and "test" from its three CSVs.
     */
    public Map<String, List<ImageRecord>> officialSplits() {
        return officialSplits;
    }

    /**
     * Train/val/test disjoint by patient: test = the official test list if present, else a patient-wise
     * 20 % of images; the rest is split patient-wise into train and {@code valFraction} of it for val.
     * The course's folder keeps its own fixed splits (train-small, valid-small, test; {@code valFraction} and
     * {@code seed} are not used), whatever patient overlap they have: see {@link SplitSet#overlaps()}.
     */
    public SplitSet splits(double valFraction, long seed) {
        if (course != null) {
            return new SplitSet(officialSplits.getOrDefault("train", List.of()),
                    officialSplits.getOrDefault("valid", List.of()), officialSplits.getOrDefault("test", List.of()));
        }
        PatientSplitter splitter = new PatientSplitter(seed);
        List<ImageRecord> test;
        List<ImageRecord> rest;
        if (officialSplits.containsKey("test")) {
            test = officialSplits.get("test");
            Set<String> inTest = test.stream().map(ImageRecord::imageIndex).collect(Collectors.toSet());
            rest = records.stream().filter(r -> !inTest.contains(r.imageIndex())).toList();
        } else {
            List<List<ImageRecord>> parts = splitter.parts(records, 0.8, 0.2);
            rest = parts.get(0);
            test = parts.get(1);
        }
        List<List<ImageRecord>> trainVal = splitter.parts(rest, 1 - valFraction, valFraction);
        return new SplitSet(trainVal.get(0), trainVal.get(1), test);
    }

    /** A subset of at most {@code maxImages} images made of whole patients, stratified on findings, for small runs. */
    public ChestXrayDataset limit(long maxImages, long seed) {
        if (maxImages >= records.size()) {
            return this;
        }
        List<ImageRecord> kept = new PatientSplitter(seed).subset(records, maxImages);
        Set<String> names = new HashSet<>();
        kept.forEach(r -> names.add(r.imageIndex()));
        List<BoundingBox> keptBoxes = boxes.stream().filter(b -> names.contains(b.imageIndex())).toList();
        Map<String, List<ImageRecord>> official = new LinkedHashMap<>();
        officialSplits.forEach((k, v) -> official.put(k, v.stream().filter(r -> names.contains(r.imageIndex())).toList()));
        return new ChestXrayDataset(root, kept, keptBoxes, locator, official, course);
    }

    /** The images of one patient, in Data_Entry order (empty for an unknown id). */
    public List<ImageRecord> patient(String patientId) {
        return records.stream().filter(r -> r.patientId().equals(patientId)).toList();
    }

    /** Number of distinct patients. */
    public int patientCount() {
        return (int) records.stream().map(ImageRecord::patientId).distinct().count();
    }

    /** Images per finding in canonical order, then "No Finding". */
    public Map<String, Integer> findingCounts() {
        return findingCounts(records);
    }

    /** Images per finding in canonical order, then "No Finding", for any list of records. */
    public static Map<String, Integer> findingCounts(List<ImageRecord> records) {
        int[] counts = PatientSplitter.findingCounts(records);
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Finding f : Finding.all()) {
            m.put(f.label(), counts[f.ordinal()]);
        }
        m.put(Finding.NO_FINDING, (int) records.stream().filter(ImageRecord::noFinding).count());
        return m;
    }

    /** One row per image: Image Index, Patient ID, Follow-up #, then one 0/1 column per finding. */
    public Table table() {
        Table t = Table.create("images",
                StringColumn.create("Image Index", records.stream().map(ImageRecord::imageIndex).toList()),
                StringColumn.create("Patient ID", records.stream().map(ImageRecord::patientId).toList()),
                IntColumn.create("Follow-up #", records.stream().mapToInt(ImageRecord::followUp).toArray()));
        for (Finding f : Finding.all()) {
            t.addColumns(IntColumn.create(f.label(), records.stream().mapToInt(r -> r.has(f) ? 1 : 0).toArray()));
        }
        return t;
    }

    /** Per finding (canonical order, then "No Finding"): number of images and prevalence. */
    public Table totals() {
        Map<String, Integer> counts = findingCounts();
        List<String> names = new ArrayList<>(counts.keySet());
        int[] images = counts.values().stream().mapToInt(Integer::intValue).toArray();
        double[] prevalence = new double[images.length];
        for (int i = 0; i < images.length; i++) {
            prevalence[i] = records.isEmpty() ? 0 : (double) images[i] / records.size();
        }
        DoubleColumn prevalenceColumn = DoubleColumn.create("prevalence", prevalence);
        prevalenceColumn.setPrintFormatter(NumberColumnFormatter.percent(2));
        return Table.create("totals", StringColumn.create("finding", names), IntColumn.create("images", images),
                prevalenceColumn);
    }

    @Override
    public String toString() {
        return "ChestXrayDataset[" + root + (course != null ? " (course folder)" : "") + ": " + records.size() + " images, " + patientCount() + " patients, "
                + boxes.size() + " boxes]";
    }
}
