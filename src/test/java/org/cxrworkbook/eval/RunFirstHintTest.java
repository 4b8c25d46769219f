package org.cxrworkbook.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.cxrworkbook.data.RunFirstException;
import org.cxrworkbook.train.DataSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFirstHintTest {

    @TempDir
    Path work;

    @Test
    void aMissingModelNamesTheNotebookToRunFirstInOneLineWithoutStackTrace() {
        RunFirstException e = assertThrows(RunFirstException.class, () -> Predictor.loadModel(work.resolve("model.zip")));
        assertEquals("Run notebook 06-densenet-training.ipynb first (or ./cxr train): it saves model.zip, which this step "
                + "reads, and there is none in " + work.toAbsolutePath() + ".", e.getMessage());
        assertEquals(0, e.getStackTrace().length);
        assertEquals("06-densenet-training.ipynb", e.notebook());
        assertEquals(work.resolve("model.zip"), e.missing());
    }

    @Test
    void missingDataSettingsNameNotebook06Too() {
        RunFirstException e = assertThrows(RunFirstException.class, () -> DataSettings.read(work));
        assertEquals("Run notebook 06-densenet-training.ipynb first (or ./cxr train): it saves data-settings.json, which "
                + "this step reads, and there is none in " + work.toAbsolutePath() + ".", e.getMessage());
        assertEquals(0, e.getStackTrace().length);
    }
}
