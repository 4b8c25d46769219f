package org.cxrworkbook.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cxrworkbook.data.DataException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class ModelCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsParametersUpdaterStateAndGeometry() throws Exception {
        DenseNetConfig c = KerasWeightsTest.small(1);
        ComputationGraph g = DenseNet.build(c);
        g.fit(new MultiDataSet(Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32), Nd4j.ones(DataType.FLOAT, 2, 3)));
        Path file = dir.resolve("ckpt.zip");
        ModelCheckpoint.save(g, c, file);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        ComputationGraph back = ModelCheckpoint.load(file, c);
        assertEquals(g.params(), back.params());
        assertEquals(g.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertEquals(new ModelCheckpoint.Geometry(32, 1, 3), ModelCheckpoint.load(file).geometry());
    }

    @Test
    void checkpointForAnotherInputSizeOrBrokenFileIsRefused() throws Exception {
        DenseNetConfig c = KerasWeightsTest.small(1);
        Path file = dir.resolve("ckpt.zip");
        ModelCheckpoint.save(DenseNet.build(c), c, file);
        DataException e = assertThrows(DataException.class,
                () -> ModelCheckpoint.load(file, c.toBuilder().inputSize(64).build()));
        assertTrue(e.getMessage().contains("made for input 32²"), e.getMessage());

        Path broken = dir.resolve("broken.zip");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        DataException e2 = assertThrows(DataException.class, () -> ModelCheckpoint.load(broken));
        assertTrue(e2.getMessage().startsWith(broken.toString()), e2.getMessage());
    }
}
