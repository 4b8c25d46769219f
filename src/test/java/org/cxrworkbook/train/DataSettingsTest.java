package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrworkbook.data.NihFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSettingsTest {

    @TempDir
    Path dir;

    @Test
    void phantomFlagComesFromTheMarkerNotTheFolderName() throws IOException {
        Path phantom = Files.createDirectories(dir.resolve("nih-download"));   // a phantom whose name hides it
        Files.writeString(phantom.resolve(NihFiles.PHANTOM_MARKER), "{}\n");
        Path real = Files.createDirectories(dir.resolve("my-phantom-named-real-data"));
        assertTrue(new DataSettings(phantom, 128, 3, 8, 0, 0.1, 42).phantom());
        assertFalse(new DataSettings(real, 128, 3, 8, 0, 0.1, 42).phantom());
    }

    @Test
    void flagIsSavedAndReadBack() throws IOException {
        Path work = dir.resolve("work");
        DataSettings s = new DataSettings(dir.resolve("data"), 128, 3, 8, 0, 0.1, 42, true);
        s.save(work);
        assertTrue(Files.readString(work.resolve(DataSettings.FILE)).contains("\"phantom\" : true"));
        assertEquals(s, DataSettings.read(work));
        assertFalse(DataSettings.read(new DataSettings(dir.resolve("data"), 128, 3, 8, 0, 0.1, 42, false).save(work).getParent()).phantom());
    }

    @Test
    void settingsSavedBeforeTheFlagReadItFromTheDataFolder() throws IOException {
        Path data = Files.createDirectories(dir.resolve("set"));
        Files.writeString(data.resolve(NihFiles.PHANTOM_MARKER), "{}\n");
        Path work = Files.createDirectories(dir.resolve("old-work"));
        Files.writeString(work.resolve(DataSettings.FILE), "{\"data_dir\": \"" + data.toString().replace("\\", "\\\\")
                + "\", \"image_size\": 128, \"channels\": 3, \"batch_size\": 8, \"max_images\": 0, \"val_fraction\": 0.1,"
                + " \"seed\": 42}");
        assertTrue(DataSettings.read(work).phantom());
    }
}
