package org.cxrworkbook.data;

/** File and folder names of the NIH ChestX-ray14 layout (shared by the real download and the phantom set). */
public final class NihFiles {

    /** Current metadata file (11 fields per row). */
    public static final String DATA_ENTRY = "Data_Entry_2017_v2020.csv";
    /** Older metadata file (same header plus a trailing comma: 12 fields). */
    public static final String DATA_ENTRY_2017 = "Data_Entry_2017.csv";
    /** Bounding boxes of 880 images. */
    public static final String BBOX_LIST = "BBox_List_2017.csv";
    /** Official training+validation image list. */
    public static final String TRAIN_VAL_LIST = "train_val_list.txt";
    /** Official test image list. */
    public static final String TEST_LIST = "test_list.txt";
    /** Training list written by our patient-wise splitter. */
    public static final String TRAIN_LIST = "train_list.txt";
    /** Validation list written by our patient-wise splitter. */
    public static final String VAL_LIST = "val_list.txt";
    /** Image folder (the real download also has images_001/images … images_012/images). */
    public static final String IMAGES = "images";
    /** Written by the phantom generator only (its options): the mark of a synthetic dataset. */
    public static final String PHANTOM_MARKER = "phantom.json";

    private NihFiles() {
    }

    /** The folder's Data_Entry CSV: the v2020 file if present, else the older 2017 one (which may not exist either). */
    public static java.nio.file.Path dataEntry(java.nio.file.Path dir) {
        java.nio.file.Path current = dir.resolve(DATA_ENTRY);
        return java.nio.file.Files.exists(current) ? current : dir.resolve(DATA_ENTRY_2017);
    }

    /** True when the folder was written by the phantom generator (it holds {@link #PHANTOM_MARKER}). */
    public static boolean isPhantom(java.nio.file.Path dir) {
        return java.nio.file.Files.isRegularFile(dir.resolve(PHANTOM_MARKER));
    }

    /** True when the folder holds a Data_Entry CSV (either version), i.e. looks like a dataset. */
    public static boolean hasDataEntry(java.nio.file.Path dir) {
        return java.nio.file.Files.exists(dataEntry(dir));
    }
}
