package org.cxrworkbook.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.SavedSplit;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Guards {@code --resume}: a new run records its settings and the SHA-256 of its data files next to its checkpoints
 * ({@value #FILE}); a resumed run must have the same ones, else it is refused with every differing setting named
 * (unless forced). The epoch budget may grow — continuing a run for more epochs is what resuming is for.
 */
public final class ResumeCheck {

    /** The settings of the run whose checkpoints are in the folder. */
    public static final String FILE = "run-settings.json";

    /** Settings a resumed run must share with its checkpoint, in report order (RunSettings field names). */
    static final List<String> COMPARED = List.of("dataDir", "dataSha256", "imageSize", "channels", "model", "seed",
            "valFraction", "batchSize", "stage1LearningRate", "startingWeights", "maxImages", "maxBatches",
            "earlyStoppingPatience", "reduceLrPatience");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResumeCheck() {
    }

    /** What {@code s} records for a checkpoint folder: its compared settings, epochs, and the data files' SHA-256. */
    static Map<String, Object> recordOf(RunSettings s) {
        Map<String, Object> all = s.toMap();
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : COMPARED) {
            m.put(k, k.equals("dataDir") ? s.dataDir().toAbsolutePath().normalize().toString()
                    : k.equals("dataSha256") ? SavedSplit.dataDigest(s.dataDir()) : all.get(k));
        }
        m.put("stage1Epochs", all.get("stage1Epochs"));
        return m;
    }

    /** Records the settings of a new run in {@code checkpointDir} (atomically). */
    public static Path record(Path checkpointDir, RunSettings s) {
        try {
            return AtomicFiles.writeString(checkpointDir.resolve(FILE), JSON.writeValueAsString(recordOf(s)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses to resume the checkpoints in {@code checkpointDir} with settings {@code s} when they were made with
     * others (each differing setting named, with both values) or when no settings were recorded; with {@code force}
     * it only warns. Returns a note for the log ("" when there is nothing to say).
     */
    public static String require(Path checkpointDir, RunSettings s, boolean force) {
        Path file = checkpointDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            String msg = "cannot resume: the checkpoints in " + checkpointDir + " have no " + FILE + " recording the "
                    + "settings they were made with, so they cannot be compared with this run's";
            return refuseOrWarn(msg, force);
        }
        Map<?, ?> saved;
        try {
            saved = JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            return refuseOrWarn("cannot resume: " + file + " is unreadable (" + e.getMessage() + ")", force);
        }
        List<String> diffs = differences(saved, recordOf(s), s);
        String note = "";
        Object epochs = saved.get("stage1Epochs");
        if (epochs != null && !Objects.equals(String.valueOf(epochs), String.valueOf(s.stage1Epochs()))) {
            note = "resuming with " + s.stage1Epochs() + " epochs in total (the checkpoint's run was set to " + epochs + ")";
        }
        if (diffs.isEmpty()) {
            return note;
        }
        String msg = "cannot resume: the checkpoints in " + checkpointDir + " were made with other settings: "
                + String.join("; ", diffs);
        return refuseOrWarn(msg, force) + (note.isEmpty() ? "" : "\n" + note);
    }

    private static String refuseOrWarn(String msg, boolean force) {
        if (!force) {
            throw new SettingException("resume", msg + ". Resume with the same settings, train into another work "
                    + "folder, or add --force to resume anyway.");
        }
        return "WARNING (--force): " + msg.replaceFirst("^cannot resume: ", "") + "; resuming anyway";
    }

    /** "seed: checkpoint 42, now 7 (--seed)" for each compared setting whose value differs. */
    static List<String> differences(Map<?, ?> saved, Map<String, Object> now, RunSettings s) {
        List<String> out = new ArrayList<>();
        for (String k : COMPARED) {
            Object was = saved.get(k);
            Object is = now.get(k);
            if (!sameValue(was, is)) {
                String origin = s.origins().get(k);
                String from = origin == null ? "" : " (" + origin + ")";
                String name = k.equals("dataSha256") ? "data files (Data_Entry and the official lists), SHA-256" : k;
                out.add(name + ": checkpoint " + show(was) + ", now " + show(is) + from);
            }
        }
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a == null ? null : String.valueOf(a), b == null ? null : String.valueOf(b));
    }

    private static String show(Object v) {
        if (v == null) {
            return "(not recorded)";
        }
        if (v instanceof String str) {
            return str.isEmpty() ? "''" : str.length() == 64 && str.matches("[0-9a-f]+") ? str.substring(0, 12) + "…" : str;
        }
        return v instanceof Double d ? SettingValues.plain(d) : String.valueOf(v);
    }
}
