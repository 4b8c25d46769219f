package org.cxrworkbook.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The leaky split the original seed code made: images shuffled and cut by row, ignoring patients.
 * Kept only to demonstrate leakage (notebook 02); use {@link PatientSplitter} for real work.
 */
public final class RowSplitter {

    private RowSplitter() {
    }

    /** Random row-wise train/val/test split; the same patient usually lands in several parts. */
    public static SplitSet split(List<ImageRecord> records, double valFraction, double testFraction, long seed) {
        List<ImageRecord> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(seed));
        int nTest = (int) Math.round(testFraction * records.size());
        int nVal = (int) Math.round(valFraction * records.size());
        List<ImageRecord> test = shuffled.subList(0, nTest);
        List<ImageRecord> val = shuffled.subList(nTest, nTest + nVal);
        List<ImageRecord> train = shuffled.subList(nTest + nVal, shuffled.size());
        return new SplitSet(train, val, test);
    }
}
