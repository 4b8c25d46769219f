package org.cxrworkbook.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks a dataset folder and reports everything found, collecting ALL problems in one pass instead of stopping at the first. */
public final class DatasetInspector {

    private DatasetInspector() {
    }

    /** Full inspection, including reading every PNG's signature, header and end marker. */
    public static InspectionReport inspect(Path root) {
        return inspect(root, true);
    }

    /** Inspection; with {@code readImageHeaders} false only the existence of image files is checked. */
    public static InspectionReport inspect(Path root, boolean readImageHeaders) {
        return report(DatasetScan.run(root, readImageHeaders));
    }

    /** Inspection of a course folder with the given file names (e.g. renamed CSVs). */
    public static InspectionReport inspect(Path root, CourseLayout layout, boolean readImageHeaders) {
        return report(DatasetScan.runCourse(root, layout, readImageHeaders));
    }

    private static InspectionReport report(DatasetScan scan) {
        Map<String, InspectionReport.SplitSize> splits = new LinkedHashMap<>();
        scan.lists.forEach((name, members) -> splits.put(name, new InspectionReport.SplitSize(members.size(),
                (int) members.stream().map(ImageRecord::patientId).distinct().count())));
        List<ImageRecord> records = scan.records;
        return new InspectionReport(records.size(),
                (int) records.stream().map(ImageRecord::patientId).distinct().count(),
                ChestXrayDataset.findingCounts(records), splits, scan.overlaps, scan.problems);
    }
}
