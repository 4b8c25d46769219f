package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings object: classroom defaults, CXR_* overrides read strictly, contradictory settings refused. */
class RunSettingsTest {

    private static RunSettings env(Map<String, String> vars) {
        return RunSettings.classroom().toBuilder().overrides(SettingSource.of(vars, "CXR_")).build();
    }

    private static SettingException refused(Map<String, String> vars) {
        return assertThrows(SettingException.class, () -> env(vars));
    }

    @Test
    void classroomDefaults() {
        RunSettings s = RunSettings.classroom();
        assertEquals(RunSettings.Model.DENSENET121, s.model());
        assertEquals(128, s.imageSize());
        assertEquals(8, s.batchSize());
        assertEquals(42, s.seed());
        assertEquals(0.2, s.valFraction());
        assertEquals(30, s.stage1Epochs());
        assertEquals(1e-3, s.stage1LearningRate());
        assertEquals(5, s.stage2Epochs());
        assertEquals(1e-4, s.stage2LearningRate());
        assertEquals(1, s.stage2UnfreezeLayers());
        assertFalse(s.stage3Enabled());
        assertEquals("", s.startingWeights());
        assertTrue(s.dataDir().endsWith(Path.of("data", "phantom")));
        assertEquals("classroom defaults", s.summary().lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void topBlockDepthAndMinimumSizeFollowTheArchitecture() {
        // DenseNet121's conv5 block has 16 layers (Keras conv5_block1 … conv5_block16), the small variant 2
        assertEquals(16, RunSettings.Model.DENSENET121.topBlockDepth());
        assertEquals(2, RunSettings.Model.SMALL.topBlockDepth());
        // 29 → stem 15 → pool 8 → 4 → 2 → 1: the smallest side whose 4th-block map is not empty; 28 → 14 → 7 → 3 → 1 → 0
        assertEquals(29, RunSettings.Model.DENSENET121.minImageSize());
    }

    @Test
    void overridesAreAppliedAndShownWithTheirOrigin() {
        RunSettings s = env(Map.of("EPOCHS", " 5", "STAGE1_LEARNING_RATE", "3e-4", "SMALL_MODEL", "TRUE",
                "MAX_IMAGES", "300", "VAL_FRACTION", "0.25"));
        assertEquals(5, s.stage1Epochs());   // " 5" trimmed, not the default
        assertEquals(5, s.stage2Epochs());
        assertEquals(3e-4, s.stage1LearningRate());
        assertEquals(RunSettings.Model.SMALL, s.model());
        assertEquals(300, s.maxImages());
        assertEquals(0.25, s.valFraction());
        String last = s.summary().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("stage1Epochs=5 (CXR_EPOCHS)"), last);
        assertTrue(last.contains("stage1LearningRate=3e-4 (CXR_STAGE1_LEARNING_RATE)"), last);
        assertTrue(last.contains("model=small (CXR_SMALL_MODEL)"), last);
        assertEquals(4, RunSettings.classroom().toBuilder().stage1Epochs(4).overrides(SettingSource.of(Map.of(), "CXR_"))
                .build().stage1Epochs());
        assertEquals(2, env(Map.of("EPOCHS", "1", "STAGE1_EPOCHS", "2")).stage1Epochs()); // the specific name wins
    }

    @Test
    void wrongNumbersBooleansAndChoicesAreRefusedNamingVariableValueAndRange() {
        assertEquals("CXR_IMAGE_SIZE=abc is not a whole number: give a whole number from 1 to 1024.",
                refused(Map.of("IMAGE_SIZE", "abc")).getMessage());
        assertEquals("CXR_SEED=xyz is not a whole number: give a whole number.",
                refused(Map.of("SEED", "xyz")).getMessage());
        assertEquals("CXR_MAX_IMAGES=1e3 is not a whole number: give a whole number of at least 0.",
                refused(Map.of("MAX_IMAGES", "1e3")).getMessage());
        assertEquals("CXR_SMALL_MODEL=yes is not a boolean: give true or false (any letter case).",
                refused(Map.of("SMALL_MODEL", "yes")).getMessage());
        assertEquals("CXR_EPOCHS=5.0 is not a whole number: give a whole number from 1 to 10000.",
                refused(Map.of("EPOCHS", "5.0")).getMessage());
        assertEquals("CXR_EPOCHS=0 is out of range: give a whole number from 1 to 10000.",
                refused(Map.of("EPOCHS", "0")).getMessage());
        assertEquals("CXR_EPOCHS=\"  \" is empty: give a whole number from 1 to 10000, or unset it for the default.",
                refused(Map.of("EPOCHS", "  ")).getMessage());
        assertEquals("CXR_VAL_FRACTION=1.5 is out of range: give a decimal number in (0, 1).",
                refused(Map.of("VAL_FRACTION", "1.5")).getMessage());
        for (String hostile : new String[] {"0x1p-2", "0.5f", "NaN", "Infinity", "1,5", "--1"}) {
            SettingException e = refused(Map.of("LEARNING_RATE", hostile));
            assertEquals("CXR_LEARNING_RATE", e.setting());
            assertTrue(e.getMessage().startsWith("CXR_LEARNING_RATE=" + hostile + " is not a decimal number"), e.getMessage());
        }
        assertEquals("CXR_MODEL=resnet50 is not allowed: give one of densenet121, small.",
                refused(Map.of("MODEL", "resnet50")).getMessage());
        assertEquals("CXR_SEED=99999999999999999999 is out of range: give a whole number.",
                refused(Map.of("SEED", "99999999999999999999")).getMessage());
        assertEquals("CXR_STAGE3_ENABLED=1 is not a boolean: give true or false (any letter case).",
                refused(Map.of("STAGE3_ENABLED", "1")).getMessage());
    }

    @Test
    void contradictorySettingsAreRefusedBeforeAnyWork() {
        SettingException deep = refused(Map.of("STAGE2_UNFREEZE_LAYERS", "17"));
        assertEquals("CXR_STAGE2_UNFREEZE_LAYERS (stage2UnfreezeLayers) = 17 is not allowed: the last dense block of "
                + "DenseNet121 has 16 layers: give 0 (only bn) to 16.", deep.getMessage());
        SettingException small = refused(Map.of("STAGE2_UNFREEZE_LAYERS", "3", "MODEL", "small"));
        assertTrue(small.getMessage().contains("the small DenseNet has 2 layers: give 0 (only bn) to 2"), small.getMessage());
        assertEquals(2, env(Map.of("STAGE2_UNFREEZE_LAYERS", "2", "MODEL", "small")).stage2UnfreezeLayers());
        SettingException tiny = assertThrows(SettingException.class,
                () -> RunSettings.classroom().toBuilder().imageSize(16).build());
        assertEquals("imageSize = 16 is not allowed: give 29 to 1024 pixels for DenseNet121 (below 29 its last feature "
                + "map is empty).", tiny.getMessage());
        assertEquals("imageSize", tiny.setting());
        assertTrue(assertThrows(SettingException.class, () -> RunSettings.classroom().toBuilder().valFraction(0).build())
                .getMessage().startsWith("valFraction = 0 is not allowed"));
        assertTrue(assertThrows(SettingException.class, () -> RunSettings.classroom().toBuilder().valFraction(1).build())
                .getMessage().startsWith("valFraction = 1 is not allowed"));
        assertTrue(assertThrows(SettingException.class, () -> RunSettings.classroom().toBuilder().channels(2).build())
                .getMessage().startsWith("channels = 2 is not allowed: give 1 (grey) or 3"));
        assertTrue(assertThrows(SettingException.class,
                () -> RunSettings.classroom().toBuilder().stage1LearningRate(Double.NaN).build())
                .getMessage().startsWith("stage1LearningRate = NaN is not allowed"));
        assertTrue(refused(Map.of("SMALL_MODEL", "true", "MODEL", "densenet121")).getMessage()
                .contains("CXR_SMALL_MODEL=true contradicts CXR_MODEL=densenet121"));
        assertTrue(refused(Map.of("LEARNING_RATE", "1e-3", "STAGE1_LEARNING_RATE", "1e-4")).getMessage()
                .contains("CXR_LEARNING_RATE=1e-3 contradicts CXR_STAGE1_LEARNING_RATE=1e-4"));
    }

    @Test
    void startingWeightsMustBeAFileOfAKnownKind(@TempDir Path dir) throws Exception {
        assertTrue(env(Map.of("WEIGHTS", "none")).fromScratch());
        assertTrue(env(Map.of("WEIGHTS", "")).weightsFile().isEmpty());
        Path missing = dir.resolve("gone.zip");
        SettingException e = refused(Map.of("WEIGHTS", missing.toString()));
        assertTrue(e.getMessage().startsWith("CXR_WEIGHTS (startingWeights) = " + missing + " is not allowed: no such file"),
                e.getMessage());
        Path png = Files.writeString(dir.resolve("x.png"), "x");
        assertTrue(refused(Map.of("WEIGHTS", png.toString())).getMessage().contains("a .zip / .h5 file"));
        Path zip = Files.writeString(dir.resolve("w.zip"), "x");
        assertEquals(zip, env(Map.of("WEIGHTS", zip.toString())).weightsFile().orElseThrow());
    }

    @Test
    void dataFolderIsCheckedNamingTheVariable(@TempDir Path dir) {
        Path none = dir.resolve("nope");
        SettingException e = assertThrows(SettingException.class,
                () -> env(Map.of("DATA_DIR", none.toString())).requireDataFolder());
        assertEquals("CXR_DATA_DIR=" + none + " is not a folder: give the folder holding Data_Entry_2017_v2020.csv "
                + "and images/", e.getMessage());
        assertEquals(dir, env(Map.of("DATA_DIR", dir.toString())).requireDataFolder().dataDir());
    }

    @Test
    void trainerConfigsAndDifferencesComeFromTheSettings() {
        RunSettings s = RunSettings.classroom().toBuilder().stage1LearningRate(3e-4).maxBatches(2).build();
        TrainerConfig one = s.trainer(1).build();
        assertEquals(30, one.epochs());
        assertEquals(3e-4, one.learningRate());
        assertEquals(2, one.maxBatchesPerEpoch());
        assertEquals(5, one.earlyStoppingPatience());
        assertEquals(3, one.reduceLrPatience());
        assertEquals(1e-4, s.trainer(2).build().learningRate());
        assertEquals(java.util.List.of("stage1LearningRate 1e-3 → 3e-4", "maxBatches 0 → 2"),
                s.differences(RunSettings.classroom()));
        assertEquals(s, s.toBuilder().build());
        assertEquals(128, s.dataSettings().imageSize());
        assertEquals(0.2, s.dataSettings().valFraction());
    }
}
