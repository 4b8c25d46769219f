package org.cxrworkbook.cli;

import java.util.Map;
import org.cxrworkbook.train.RunSettings;
import org.cxrworkbook.train.SettingValues;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Picocli defaults of the run-setting options ({@code --size}, {@code --epochs}, {@code --lr}, {@code --seed}, …) taken
 * from {@link RunSettings#classroom()}, so the commands write no default of their own and {@code --help} shows the
 * classroom value.
 */
public final class ClassroomDefaults implements IDefaultValueProvider {

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        Object v = RunSettings.classroom().toMap().get(FIELDS.get(o.longestName()));
        return v == null ? null : v instanceof Double d ? SettingValues.plain(d) : v.toString();
    }

    /** Option → settings field. */
    static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("--data", "dataDir"),
            Map.entry("--work", "workDir"),
            Map.entry("--size", "imageSize"),
            Map.entry("--channels", "channels"),
            Map.entry("--seed", "seed"),
            Map.entry("--val", "valFraction"),
            Map.entry("--batch", "batchSize"),
            Map.entry("--stage1-epochs", "stage1Epochs"),
            Map.entry("--stage1-lr", "stage1LearningRate"),
            Map.entry("--stage2-epochs", "stage2Epochs"),
            Map.entry("--stage2-lr", "stage2LearningRate"),
            Map.entry("--unfreeze-layers", "stage2UnfreezeLayers"),
            Map.entry("--stage3-lr", "stage3LearningRate"),
            Map.entry("--max-batches", "maxBatches"),
            Map.entry("--max-images", "maxImages"),
            Map.entry("--patience", "earlyStoppingPatience"),
            Map.entry("--bootstrap", "bootstrap"));
}
