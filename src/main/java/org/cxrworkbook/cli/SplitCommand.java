package org.cxrworkbook.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.ImageRecord;
import org.cxrworkbook.data.Overlap;
import org.cxrworkbook.data.SplitLists;
import org.cxrworkbook.data.SplitSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr split}: patient-wise train/val/test split written as list files, with an overlap check. */
@Command(name = "split", mixinStandardHelpOptions = true, defaultValueProvider = ClassroomDefaults.class,
        description = "Split a dataset by patient (official test list honoured) and write train_list.txt, val_list.txt, test_list.txt.")
public final class SplitCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "dataset folder (NIH layout)")
    Path data;

    @Option(names = "--val", converter = StrictDecimal.class, description = "fraction of the non-test images for validation (default ${DEFAULT-VALUE})")
    double val;

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", description = "folder for the list files (default: the data folder)")
    Path out;

    @Override
    public Integer call() {
        try {
            new OptionSettings().put("VAL_FRACTION", "--val", val).put("SEED", "--seed", seed).settings();
        } catch (org.cxrworkbook.train.SettingException e) {
            System.err.println("cxr split: " + e.getMessage());
            return 2;
        }
        ChestXrayDataset dataset;
        try {
            dataset = ChestXrayDataset.load(data);
        } catch (DataException e) {
            System.err.println("cannot split " + data + ": " + e.getMessage());
            return 2;
        }
        SplitSet splits = dataset.splits(val, seed);
        List<Path> files = SplitLists.write(out == null ? data : out, splits);
        System.out.printf("split       images  patients%n");
        splits.asMap().forEach((name, list) -> System.out.printf("%-10s %7d  %8d%n", name, list.size(),
                list.stream().map(ImageRecord::patientId).distinct().count()));
        List<Overlap> overlaps = splits.overlaps();
        System.out.println("patient overlap: " + (overlaps.isEmpty() ? "none" : overlaps));
        files.forEach(f -> System.out.println("wrote " + f));
        return overlaps.isEmpty() ? 0 : 1;
    }
}
