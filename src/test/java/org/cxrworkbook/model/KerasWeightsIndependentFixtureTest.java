package org.cxrworkbook.model;

import static org.bytedeco.hdf5.global.hdf5.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras "full saved model" fixture written here with raw HDF5 C calls (not through {@link KerasWeights#save}),
 * with hand-set values whose DL4J positions are computed by hand, so a transpose bug shared by the exporter and
 * the importer cannot pass. The head is named {@code dense}, as in the course's {@code pretrained_model.h5}.
 */
class KerasWeightsIndependentFixtureTest {

    @TempDir
    Path dir;

    /** Value stored at Keras kernel index [h][w][i][o]: every element distinct and decodable. */
    private static float hwio(long h, long w, long i, long o) {
        return h * 1000 + w * 100 + i * 10 + o * 0.01f;
    }

    @Test
    void handWrittenSavedModelLandsInTheRightParameters() throws Exception {
        DenseNetConfig c = DenseNetConfig.small().toBuilder().inputSize(32).classes(3).build();
        ComputationGraph g = DenseNet.build(c);
        Path h5 = dir.resolve("pretrained_model.h5");
        writeFixture(g, h5);

        KerasWeights.ImportReport report = KerasWeights.load(g, h5);
        assertEquals("dense", report.imported().get("predictions"));

        // conv1/conv: Keras [7, 7, 3, 16] HWIO → DL4J W[o][i][h][w]
        INDArray w = g.getLayer("conv1/conv").getParam("W");
        assertEquals(hwio(0, 0, 0, 0), w.getFloat(0, 0, 0, 0), 1e-3);
        assertEquals(hwio(6, 2, 1, 15), w.getFloat(15, 1, 6, 2), 1e-3);   // o=15, i=1, h=6, w=2
        assertEquals(hwio(3, 5, 2, 7), w.getFloat(7, 2, 3, 5), 1e-3);
        // a 3×3 growth convolution, non-square index pattern
        INDArray w2 = g.getLayer("conv3_block2_2_conv").getParam("W");   // Keras [3, 3, 32, 8]
        assertEquals(hwio(2, 0, 27, 5), w2.getFloat(5, 27, 2, 0), 1e-3);

        // BN: moving variance lands in "var" as the variance itself (not log-std, not std)
        Map<String, INDArray> bn = g.getLayer("conv2_block1_1_bn").paramTable();
        assertEquals(1.0f + 0.5f, bn.get("gamma").getFloat(5), 1e-6);
        assertEquals(2.0f + 0.5f, bn.get("beta").getFloat(5), 1e-6);
        assertEquals(3.0f + 0.5f, bn.get("mean").getFloat(5), 1e-6);
        assertEquals(4.0f + 0.5f, bn.get("var").getFloat(5), 1e-6);

        // Dense: Keras kernel [in, out] = DL4J W [in, out]; bias [out] → b
        INDArray dw = g.getLayer("predictions").getParam("W");
        assertEquals(31 * 10 + 2, dw.getFloat(31, 2), 1e-3);
        assertEquals(0.25f * 2, g.getLayer("predictions").getParam("b").getFloat(2), 1e-6);
    }

    /** Writes {@code /model_weights/<layer>/<layer>/<weight>:0} for every weighted layer, HWIO by explicit loops. */
    private static void writeFixture(ComputationGraph g, Path h5) {
        long file = H5Fcreate(h5.toString(), H5F_ACC_TRUNC(), H5P_DEFAULT(), H5P_DEFAULT());
        assertTrue(file >= 0);
        long lcpl = H5Pcreate(H5P_CLS_LINK_CREATE_ID_g());
        H5Pset_create_intermediate_group(lcpl, 1);
        long root = H5Gcreate2(file, "model_weights", lcpl, H5P_DEFAULT(), H5P_DEFAULT());
        List<String> layerNames = new ArrayList<>();
        for (int idx : g.topologicalSortOrder()) {
            GraphVertex v = g.getVertices()[idx];
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            String name = v.getVertexName().equals("predictions") ? "dense" : v.getVertexName();
            layerNames.add(name);
            long group = H5Gcreate2(root, name, lcpl, H5P_DEFAULT(), H5P_DEFAULT());
            Layer layer = v.getLayer();
            List<String> weightNames = new ArrayList<>();
            Map<String, INDArray> p = layer.paramTable();
            if (p.containsKey("var")) {
                String[] keras = {"gamma", "beta", "moving_mean", "moving_variance"};
                long n = p.get("var").length();
                for (int k = 0; k < 4; k++) {
                    float[] values = new float[(int) n];
                    for (int ch = 0; ch < n; ch++) {
                        values[ch] = (k + 1) + ch * 0.1f;
                    }
                    weightNames.add(dataset(group, lcpl, name + "/" + keras[k] + ":0", new long[] {n}, values));
                }
            } else if (p.get("W").rank() == 4) {
                long[] s = p.get("W").shape(); // DL4J [out, in, kh, kw]
                long out = s[0], in = s[1], kh = s[2], kw = s[3];
                float[] values = new float[(int) (out * in * kh * kw)];
                int pos = 0;
                for (long h = 0; h < kh; h++) {          // C order of [kh, kw, in, out]
                    for (long w = 0; w < kw; w++) {
                        for (long i = 0; i < in; i++) {
                            for (long o = 0; o < out; o++) {
                                values[pos++] = hwio(h, w, i, o);
                            }
                        }
                    }
                }
                weightNames.add(dataset(group, lcpl, name + "/kernel:0", new long[] {kh, kw, in, out}, values));
            } else {
                long in = p.get("W").size(0), out = p.get("W").size(1);
                float[] values = new float[(int) (in * out)];
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        values[(int) (i * out + o)] = i * 10 + o;
                    }
                }
                weightNames.add(dataset(group, lcpl, name + "/kernel:0", new long[] {in, out}, values));
                float[] bias = new float[(int) out];
                for (int o = 0; o < out; o++) {
                    bias[o] = 0.25f * o;
                }
                weightNames.add(dataset(group, lcpl, name + "/bias:0", new long[] {out}, bias));
            }
            stringsAttribute(group, "weight_names", weightNames);
            H5Gclose(group);
        }
        stringsAttribute(root, "layer_names", layerNames);
        H5Gclose(root);
        H5Pclose(lcpl);
        H5Fclose(file);
    }

    private static String dataset(long group, long lcpl, String name, long[] dims, float[] values) {
        long space = H5Screate_simple(dims.length, dims, null);
        long ds = H5Dcreate2(group, name, H5T_IEEE_F32LE_g(), space, lcpl, H5P_DEFAULT(), H5P_DEFAULT());
        assertTrue(ds >= 0, name);
        try (FloatPointer fp = new FloatPointer(values)) {
            assertTrue(H5Dwrite(ds, H5T_NATIVE_FLOAT_g(), H5S_ALL(), H5S_ALL(), H5P_DEFAULT(), fp) >= 0);
        }
        H5Dclose(ds);
        H5Sclose(space);
        return name;
    }

    /** numpy 'S' array as h5py writes it: fixed-length, null-padded. */
    private static void stringsAttribute(long obj, String attr, List<String> values) {
        int size = values.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).max().orElse(1);
        byte[] buf = new byte[size * values.size()];
        for (int i = 0; i < values.size(); i++) {
            byte[] b = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, buf, i * size, b.length);
        }
        long type = H5Tcopy(H5T_C_S1_g());
        H5Tset_size(type, size);
        long space = H5Screate_simple(1, new long[] {values.size()}, null);
        long a = H5Acreate2(obj, attr, type, space, H5P_DEFAULT(), H5P_DEFAULT());
        try (BytePointer bp = new BytePointer(buf.length)) {
            bp.put(buf);
            assertTrue(H5Awrite(a, type, bp) >= 0);
        }
        H5Aclose(a);
        H5Sclose(space);
        H5Tclose(type);
    }
}
