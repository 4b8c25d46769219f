package org.cxrworkbook.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Train/validation/test image lists, disjoint by patient when made by {@link PatientSplitter}. */
public record SplitSet(List<ImageRecord> train, List<ImageRecord> val, List<ImageRecord> test) {

    public SplitSet {
        train = List.copyOf(train);
        val = List.copyOf(val);
        test = List.copyOf(test);
    }

    /** The three lists keyed "train", "val", "test" (in that order). */
    public Map<String, List<ImageRecord>> asMap() {
        Map<String, List<ImageRecord>> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("val", val);
        m.put("test", test);
        return m;
    }

    /** Patients shared by any two of the three lists (empty for a patient-wise split). */
    public List<Overlap> overlaps() {
        return OverlapCheck.check(asMap());
    }

    /** Total number of images. */
    public int size() {
        return train.size() + val.size() + test.size();
    }
}
