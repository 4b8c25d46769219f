package org.cxrworkbook.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrworkbook.train.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Run-setting options: classroom defaults, refused values named by option, nothing written before the refusal. */
class SettingOptionsTest {

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            CommandLine cl = new CommandLine(new Main());
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, err + captured.toString());
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void trainDefaultsAreTheClassroomSettings() {
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs();
        RunSettings s = t.settings();
        assertEquals(RunSettings.classroom(), s);
        TrainCommand small = new TrainCommand();
        new CommandLine(small).parseArgs("--small", "--size", "64", "--epochs", "2", "--lr", "3e-4", "--scratch");
        RunSettings t2 = small.settings();
        assertEquals(RunSettings.Model.SMALL, t2.model());
        assertEquals(64, t2.imageSize());
        assertEquals(2, t2.stage1Epochs());
        assertEquals(3e-4, t2.stage1LearningRate());
        assertTrue(t2.fromScratch());
    }

    @Test
    void refusedOptionsNameOptionValueAndRangeAndWriteNothing(@TempDir Path dir) {
        Path work = dir.resolve("work");
        Run tiny = run("train", "--work", work.toString(), "--size", "10");
        assertEquals(2, tiny.code());
        assertTrue(tiny.err().contains("--size (imageSize) = 10 is not allowed: give 29 to 1024 pixels for DenseNet121"),
                tiny.err());
        assertFalse(Files.exists(work), "nothing written before the refusal");
        Run hex = run("train", "--work", work.toString(), "--lr", "0x1p-2");
        assertEquals(2, hex.code());
        assertTrue(hex.err().contains("'0x1p-2' is not a decimal number"), hex.err());
        Run nan = run("train", "--work", work.toString(), "--lr", "NaN");
        assertTrue(nan.err().contains("'NaN' is not a decimal number"), nan.err());
        Run e3 = run("train", "--work", work.toString(), "--max-images", "1e3");
        assertEquals(2, e3.code());
        assertTrue(e3.err().contains("--max-images") && e3.err().contains("1e3"), e3.err());
        Run deep = run("train", "--work", work.toString(), "--small", "--size", "16");
        assertTrue(deep.err().contains("--size (imageSize) = 16 is not allowed: give 29 to 1024 pixels for the small DenseNet"),
                deep.err());
        Run weights = run("train", "--work", work.toString(), "--weights", dir.resolve("none.zip").toString());
        assertTrue(weights.err().contains("--weights (startingWeights) = " + dir.resolve("none.zip") + " is not allowed: no such file"),
                weights.err());
        assertFalse(Files.exists(work), "nothing written before any refusal");
    }

    @Test
    void trainRefusesAHeadOrderNamingTheOption(@TempDir Path dir) throws Exception {
        Path h5 = Files.createFile(dir.resolve("weights.h5"));
        Run unknown = run("train", "--data", dir.toString(), "--work", dir.resolve("w").toString(), "--weights",
                h5.toString(), "--head-order", "reverse");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--head-order (headOrder) = reverse is not allowed: give course, alphabetical "
                + "or a file listing the 14 findings"), unknown.err());
        Run noKeras = run("train", "--data", dir.toString(), "--work", dir.resolve("w").toString(), "--head-order", "course");
        assertEquals(2, noKeras.code());
        assertTrue(noKeras.err().contains("--head-order (headOrder) = course is not allowed: a head order says how a "
                + "Keras .h5/.hdf5 file's 14 outputs are ordered"), noKeras.err());
        assertFalse(Files.exists(dir.resolve("w")), "nothing written before the refusal");
    }

    @Test
    void splitRefusesAValidationFractionOutsideZeroToOne(@TempDir Path dir) {
        Run r = run("split", "--data", dir.toString(), "--val", "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--val=1.5 is out of range: give a decimal number in (0, 1)."), r.err());
    }
}
