package org.cxrworkbook.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * One pass over a dataset folder that reads every file of the NIH layout and collects ALL problems
 * (never stopping at the first); shared by {@link ChestXrayDataset#load} and {@link DatasetInspector}.
 */
final class DatasetScan {

    /** Split list files, keyed by split name, in report order. */
    static final Map<String, String> LIST_FILES = new LinkedHashMap<>();

    static {
        LIST_FILES.put("train_val", NihFiles.TRAIN_VAL_LIST);
        LIST_FILES.put("test", NihFiles.TEST_LIST);
        LIST_FILES.put("train", NihFiles.TRAIN_LIST);
        LIST_FILES.put("val", NihFiles.VAL_LIST);
    }

    /** Pairs of splits that must not share a patient (train ⊂ train_val, so that pair is not checked). */
    private static final List<List<String>> DISJOINT = List.of(List.of("train_val", "test"),
            List.of("train", "val"), List.of("train", "test"), List.of("val", "test"));

    final Path root;
    final List<Problem> problems = new ArrayList<>();
    List<ImageRecord> records = List.of();
    List<BoundingBox> boxes = List.of();
    ImageLocator locator;
    /** Split name → records, for every list file present, in list order. */
    final Map<String, List<ImageRecord>> lists = new LinkedHashMap<>();
    final List<Overlap> overlaps = new ArrayList<>();

    private DatasetScan(Path root) {
        this.root = root;
    }

    /** The course layout when the folder is a course folder, else null (NIH layout). */
    CourseLayout course;

    /** Scans {@code root} in the layout it is in: the course's ({@link CourseLayout#detect}) or NIH's. */
    static DatasetScan run(Path root, boolean readImageHeaders) {
        Optional<CourseLayout> course = Files.isDirectory(root) ? CourseLayout.detect(root) : Optional.empty();
        return course.isPresent() ? runCourse(root, course.get(), readImageHeaders) : runNih(root, readImageHeaders);
    }

    /**
     * Scans a course folder: the three CSVs (every bad header, value, duplicate, a film named in two CSVs, a film
     * missing from the image folder, each with file and row), then the patient overlap between the three fixed
     * splits. Overlap is reported in {@link #overlaps}, not as a problem: the splits are the course's, and finding
     * their leakage is the course's own exercise.
     */
    static DatasetScan runCourse(Path root, CourseLayout layout, boolean readImageHeaders) {
        DatasetScan scan = new DatasetScan(root);
        scan.course = layout;
        Path imagesDir = root.resolve(layout.imagesDir());
        scan.locator = ImageLocator.folder(imagesDir);
        if (!Files.isDirectory(root)) {
            scan.problems.add(new Problem(root.toString(), 0, "dataset folder not found"));
            return scan;
        }
        if (!Files.isDirectory(imagesDir)) {
            scan.problems.add(new Problem(layout.imagesDir(), 0, "missing: the course layout keeps its films in "
                    + layout.imagesDir() + "/ next to " + layout.trainCsv()));
        }
        List<ImageRecord> all = new ArrayList<>();
        Map<String, String> seenIn = new HashMap<>();
        layout.splitFiles().forEach((split, fileName) -> {
            Path csv = root.resolve(fileName);
            if (!Files.isRegularFile(csv)) {
                scan.problems.add(new Problem(fileName, 0, "missing: the course layout needs " + layout.trainCsv()
                        + ", " + layout.validCsv() + ", " + layout.testCsv() + " and " + layout.imagesDir() + "/ in " + root));
                return;
            }
            Parsed<ImageRecord> parsed = CourseCsv.read(csv);
            scan.problems.addAll(parsed.problems());
            List<ImageRecord> members = new ArrayList<>();
            List<Long> memberRows = new ArrayList<>();
            for (int i = 0; i < parsed.items().size(); i++) {
                ImageRecord r = parsed.items().get(i);
                long row = parsed.rows().get(i);
                String where = fileName + " row " + row;
                String first = seenIn.putIfAbsent(r.imageIndex(), where);
                if (first != null) {
                    scan.problems.add(new Problem(fileName, row, "image " + r.imageIndex() + " is also in " + first));
                    continue;
                }
                members.add(r);
                memberRows.add(row);
            }
            if (Files.isDirectory(imagesDir)) {
                scan.checkImages(fileName, members, memberRows, readImageHeaders, layout.imagesDir());
            }
            scan.lists.put(split, members);
            all.addAll(members);
        });
        scan.records = all;
        scan.overlaps.addAll(OverlapCheck.check(scan.lists));
        return scan;
    }

    private static DatasetScan runNih(Path root, boolean readImageHeaders) {
        DatasetScan scan = new DatasetScan(root);
        if (!Files.isDirectory(root)) {
            scan.problems.add(new Problem(root.toString(), 0, "dataset folder not found"));
            scan.locator = ImageLocator.index(root.resolve("__none__"));
            return scan;
        }
        scan.locator = ImageLocator.index(root);
        Path entry = NihFiles.dataEntry(root);
        if (!Files.exists(entry)) {
            scan.problems.add(new Problem(NihFiles.DATA_ENTRY, 0, "missing: neither " + NihFiles.DATA_ENTRY
                    + " nor " + NihFiles.DATA_ENTRY_2017 + " found in " + root));
            return scan;
        }
        java.util.Set<String> mentioned = new java.util.HashSet<>();
        Parsed<ImageRecord> parsed = DataEntryReader.read(entry, mentioned::add);
        scan.problems.addAll(parsed.problems());
        scan.records = parsed.items();
        scan.checkImages(entry.getFileName().toString(), scan.records, parsed.rows(), readImageHeaders,
                NihFiles.IMAGES);
        Map<String, ImageRecord> byName = new HashMap<>();
        scan.records.forEach(r -> byName.put(r.imageIndex(), r));
        scan.readBoxes(byName, mentioned);
        scan.readLists(byName, mentioned);
        return scan;
    }

    /** Missing images beyond this many are reported as one grouped problem with a count and the first few. */
    static final int GROUP_AFTER = 5;

    private void checkImages(String entryFile, List<ImageRecord> records, List<Long> rows, boolean readHeaders,
                             String imagesDir) {
        boolean nih = imagesDir.equals(NihFiles.IMAGES);
        List<Optional<Problem>> found = IntStream.range(0, records.size()).parallel().mapToObj(i -> {
            String name = records.get(i).imageIndex();
            Optional<Path> file = locator.find(name);
            if (file.isEmpty()) {
                return Optional.of(new Problem(entryFile, rows.get(i), "image file " + imagesDir + "/" + name
                        + " not found" + (nih ? " (also looked in images_*/images/)" : "")));
            }
            if (!readHeaders) {
                return Optional.<Problem>empty();
            }
            return PngCheck.problem(file.get()).map(msg -> new Problem(root.relativize(file.get()).toString(), 0,
                    msg + " (" + entryFile + " row " + rows.get(i) + ")"));
        }).toList();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).isPresent() && found.get(i).get().file().equals(entryFile)) {
                missing.add(i);
            }
        }
        if (missing.size() > GROUP_AFTER) {
            StringBuilder first = new StringBuilder();
            for (int i : missing.subList(0, GROUP_AFTER)) {
                first.append(first.length() == 0 ? "" : ", ").append(records.get(i).imageIndex())
                        .append(" (row ").append(rows.get(i)).append(')');
            }
            problems.add(new Problem(entryFile, rows.get(missing.get(0)), String.format(java.util.Locale.ROOT,
                    "%,d of %,d images missing under %s/%s: first %d: %s", missing.size(), records.size(), imagesDir,
                    nih ? " (also looked in images_*/images/)" : "", GROUP_AFTER, first)));
            java.util.Set<Integer> grouped = new java.util.HashSet<>(missing);
            for (int i = 0; i < found.size(); i++) {
                if (!grouped.contains(i)) {
                    found.get(i).ifPresent(problems::add);
                }
            }
        } else {
            found.forEach(p -> p.ifPresent(problems::add));
        }
    }

    private void readBoxes(Map<String, ImageRecord> byName, java.util.Set<String> mentioned) {
        Path file = root.resolve(NihFiles.BBOX_LIST);
        if (!Files.exists(file)) {
            return;
        }
        Parsed<BoundingBox> parsed = BBoxReader.read(file);
        problems.addAll(parsed.problems());
        List<BoundingBox> known = new ArrayList<>();
        List<Problem> outside = new ArrayList<>();
        Map<String, Optional<PngHeader>> headers = new HashMap<>();
        for (int i = 0; i < parsed.items().size(); i++) {
            BoundingBox b = parsed.items().get(i);
            long row = parsed.rows().get(i);
            if (byName.containsKey(b.imageIndex())) {
                Optional<String> beyond = headers.computeIfAbsent(b.imageIndex(), this::header)
                        .flatMap(h -> beyondImage(b, h));
                if (beyond.isPresent()) {
                    outside.add(new Problem(NihFiles.BBOX_LIST, row, beyond.get()));
                } else {
                    known.add(b);
                }
            } else if (!records.isEmpty() && !mentioned.contains(b.imageIndex())) {
                problems.add(new Problem(NihFiles.BBOX_LIST, row,
                        "box for unknown image " + b.imageIndex() + " (not in Data_Entry)"));
            }
        }
        if (outside.size() > GROUP_AFTER) {
            StringBuilder first = new StringBuilder();
            outside.subList(0, GROUP_AFTER).forEach(p -> first.append(first.length() == 0 ? "" : "; ")
                    .append("row ").append(p.row()).append(": ").append(p.message()));
            problems.add(new Problem(NihFiles.BBOX_LIST, outside.get(0).row(), String.format(java.util.Locale.ROOT,
                    "%,d of %,d boxes extend beyond their image (boxes are pixels of the PNG file itself, 1024² for NIH:"
                            + " were the images resized?): first %d: %s", outside.size(), parsed.items().size(),
                    GROUP_AFTER, first)));
        } else {
            problems.addAll(outside);
        }
        boxes = known;
    }

    /** The PNG header of an image, empty when the file is missing or unreadable (reported by the image check). */
    private Optional<PngHeader> header(String imageIndex) {
        try {
            return locator.find(imageIndex).map(PngHeader::read);
        } catch (DataException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a box does not lie inside its PNG, or empty when it does. A box reaching past the right or bottom edge
     * is refused, not clipped: it means the box is in another pixel space than the file (e.g. NIH's 1024² boxes
     * on films resized to 256²), and a clipped box would be scored as if it were right.
     */
    static Optional<String> beyondImage(BoundingBox b, PngHeader h) {
        if (b.x() >= 0 && b.y() >= 0 && b.x() + b.width() <= h.width() && b.y() + b.height() <= h.height()) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT,
                "box x=%s y=%s w=%s h=%s of %s reaches outside its %dx%d PNG (x from 0 to %d, y from 0 to %d; right"
                        + " edge %s, bottom edge %s)", num(b.x()), num(b.y()), num(b.width()), num(b.height()),
                b.imageIndex(), h.width(), h.height(), h.width(), h.height(), num(b.x() + b.width()),
                num(b.y() + b.height())));
    }

    private static String num(double v) {
        return new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private void readLists(Map<String, ImageRecord> byName, java.util.Set<String> mentioned) {
        Map<String, Map<String, Long>> lines = new HashMap<>();
        LIST_FILES.forEach((split, fileName) -> {
            Path file = root.resolve(fileName);
            if (!Files.exists(file)) {
                return;
            }
            Map<String, Long> names = SplitLists.read(file, problems);
            lines.put(split, names);
            List<ImageRecord> members = new ArrayList<>();
            names.forEach((name, line) -> {
                ImageRecord r = byName.get(name);
                if (r != null) {
                    members.add(r);
                } else if (!records.isEmpty() && !mentioned.contains(name)) {
                    problems.add(new Problem(fileName, line, "unknown image " + name + " (not in Data_Entry)"));
                }
            });
            lists.put(split, members);
        });
        for (List<String> pair : DISJOINT) {
            String a = pair.get(0);
            String b = pair.get(1);
            if (lists.containsKey(a) && lists.containsKey(b)) {
                OverlapCheck.check(a, lists.get(a), b, lists.get(b)).ifPresent(o -> {
                    overlaps.add(o);
                    String first = lists.get(b).stream().filter(r -> o.patientIds().contains(r.patientId()))
                            .findFirst().orElseThrow().imageIndex();
                    problems.add(new Problem(LIST_FILES.get(b), lines.get(b).get(first),
                            "patients in both " + LIST_FILES.get(a) + " and " + LIST_FILES.get(b) + ": " + o
                                    + "; first shared image here: " + first));
                });
            }
        }
    }
}
