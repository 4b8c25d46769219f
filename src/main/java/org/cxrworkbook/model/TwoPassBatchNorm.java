package org.cxrworkbook.model;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode BatchNorm for NCHW float activations on the CPU in two passes forward and two backward, installed
 * as the layer helper of DL4J's BatchNormalization layers; everything else (inference, other layouts and types) goes
 * to the helper the layer had (oneDNN).
 *
 * <p>Hand-written because no dependency does this well here: DL4J M2.1's oneDNN helper computes batch mean and
 * variance with two separate ND4J reductions, and its backward op ({@code batchnorm_bp}) runs oneDNN with global
 * statistics and then adds the mean/variance terms of the gradient with three reductions, four broadcasts and a
 * full-size temporary: about ten passes over every activation. BatchNorm backward was the largest single item of a
 * DenseNet121 training profile (26 %). Per channel this class copies the activations of the batch into a small
 * heap array once, does the arithmetic there (the copy of one channel fits in cache) and writes the result once.
 * Channels are spread over the cores.
 *
 * <p>When it can go: when DL4J's {@code batchnorm_bp} computes the batch-statistics gradient inside oneDNN (a
 * release after 1.0.0-M2.1). On the CPU the training engine ({@code model.engine.TrainingEngine}) now does BatchNorm
 * itself, so this helper only serves DL4J's own step: {@code CXR_ENGINE=graph}, the CUDA profile and the engine's
 * fallbacks. Until it goes, {@code ./cxr bench --jvm-arg -Dcxr.twoPassBatchNorm=false} shows what it is worth.
 */
public final class TwoPassBatchNorm implements BatchNormalizationHelper {

    /** System property: "false" keeps DL4J's own helper (for comparisons). */
    public static final String PROPERTY = "cxr.twoPassBatchNorm";

    private static final Field HELPER_FIELD = helperField();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private final BatchNormalizationHelper fallback;
    /** Whether the last training forward pass was this helper's (else the fallback's): backprop follows it. */
    private boolean ownsBatch;
    private INDArray meanCache;
    private INDArray varCache;
    private float[] batchMean = new float[0];
    private float[] batchInvStd = new float[0];

    TwoPassBatchNorm(BatchNormalizationHelper fallback) {
        this.fallback = fallback;
    }

    /**
     * Installs this helper on every BatchNormalization layer of {@code graph} (unless {@value #PROPERTY} is "false" or
     * the backend is not the CPU); returns how many layers got it. Calling it again changes nothing.
     */
    public static int install(ComputationGraph graph) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY)) || !cpuBackend()) {
            return 0;
        }
        int n = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                try {
                    Object current = HELPER_FIELD.get(bn);
                    if (!(current instanceof TwoPassBatchNorm)) {
                        HELPER_FIELD.set(bn, new TwoPassBatchNorm((BatchNormalizationHelper) current));
                    }
                    n++;
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set the BatchNorm helper of " + bn.getConfig().getLayerName(), e);
                }
            }
        }
        return n;
    }

    /** The helper the layer had before (DL4J's oneDNN helper on this backend), used where this one does not apply. */
    BatchNormalizationHelper fallback() {
        return fallback;
    }

    /** Whether {@code layer} runs with this helper. */
    public static boolean installedOn(Layer layer) {
        try {
            return layer instanceof BatchNormalization && HELPER_FIELD.get(layer) instanceof TwoPassBatchNorm;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    private static boolean cpuBackend() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "");
        return backend.equalsIgnoreCase("CPU");
    }

    private static Field helperField() {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's BatchNormalization has no 'helper' field (DL4J version changed?)", e);
        }
    }

    private static boolean handles(INDArray x, CNN2DFormat format) {
        // java.nio buffers index with int: larger arrays (over 8 GB of floats) stay with DL4J's helper
        return x.rank() == 4 && format == CNN2DFormat.NCHW && x.dataType() == DataType.FLOAT
                && x.length() < Integer.MAX_VALUE;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return true;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!training || !handles(x, format) || gamma == null || beta == null) {
            if (training) {
                ownsBatch = false;
            }
            return fallback == null ? null
                    : fallback.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        INDArray in = contiguous(x);
        int n = (int) in.size(0);
        int c = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        float[] g = gamma.toFloatVector();
        float[] b = beta.toFloatVector();
        if (batchMean.length != c) {
            batchMean = new float[c];
            batchInvStd = new float[c];
        }
        float[] var32 = new float[c];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape());
        FloatBuffer src = floats(in);
        FloatBuffer dst = floats(out);
        IntStream.range(0, c).parallel().forEach(ch -> {
            float[] v = scratch(0, n * hw);
            gather(src, v, n, c, hw, ch);
            int m = n * hw;
            float mu = (float) (sum(v, m) / m);
            float variance = (float) (sumOfSquaredDeviations(v, m, mu) / m);
            float inv = (float) (1.0 / Math.sqrt(variance + eps));
            float scale = g[ch] * inv;
            float shift = b[ch] - mu * scale;
            for (int i = 0; i < m; i++) {
                v[i] = v[i] * scale + shift;
            }
            scatter(v, dst, n, c, hw, ch);
            batchMean[ch] = mu;
            batchInvStd[ch] = inv;
            var32[ch] = variance;
        });
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            // the layer reads these after backprop to update its running statistics (biased variance, as DL4J's helper)
            meanCache = Nd4j.createFromArray(batchMean);
            varCache = Nd4j.createFromArray(var32);
        }
        ownsBatch = true;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!ownsBatch) {
            return fallback == null ? null : fallback.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView,
                    dBetaView, eps, format, workspaceMgr);
        }
        INDArray x = contiguous(input);
        INDArray dy = contiguous(epsilon);
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int hw = (int) (x.size(2) * x.size(3));
        float[] g = gamma.toFloatVector();
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape());
        FloatBuffer xs = floats(x);
        FloatBuffer dys = floats(dy);
        FloatBuffer dxs = floats(dx);
        IntStream.range(0, c).parallel().forEach(ch -> {
            int m = n * hw;
            float[] xv = scratch(0, m);
            float[] gv = scratch(1, m);
            gather(xs, xv, n, c, hw, ch);
            gather(dys, gv, n, c, hw, ch);
            float mu = batchMean[ch];
            float inv = batchInvStd[ch];
            for (int i = 0; i < m; i++) {
                xv[i] = (xv[i] - mu) * inv; // x̂
            }
            double sumG = sum(gv, m);
            double sumGXhat = dot(gv, xv, m);
            // dL/dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), the batch-statistics gradient
            float k = g[ch] * inv;
            float meanG = (float) (sumG / m);
            float meanGX = (float) (sumGXhat / m);
            for (int i = 0; i < m; i++) {
                gv[i] = k * (gv[i] - meanG - xv[i] * meanGX);
            }
            scatter(gv, dxs, n, c, hw, ch);
            dGamma[ch] = (float) sumGXhat;
            dBeta[ch] = (float) sumG;
        });
        dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
        dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        Gradient grad = new DefaultGradient();
        grad.setGradientFor("gamma", dGammaView);
        grad.setGradientFor("beta", dBetaView);
        return new Pair<>(grad, dx);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return ownsBatch ? meanCache : fallback == null ? null : fallback.getMeanCache(dataType);
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return ownsBatch ? varCache : fallback == null ? null : fallback.getVarCache(dataType);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && !a.isView() ? a : a.dup('c');
    }

    /** The array's elements as a native-order float buffer whose index 0 is the array's first element. */
    private static FloatBuffer floats(INDArray a) {
        java.nio.ByteBuffer bytes = a.data().pointer().asByteBuffer().order(ByteOrder.nativeOrder());
        FloatBuffer all = bytes.asFloatBuffer();
        long first = a.data().offset() + a.offset();
        return all.position((int) first).slice();
    }

    // Sums with four independent double accumulators: double keeps the sum of up to millions of floats exact to
    // float precision, and four chains let the CPU overlap the additions (one chain waits on each add's latency).
    private static double sum(float[] v, int m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < m; i++) {
            s0 += v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumOfSquaredDeviations(float[] v, int m, float mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            float d0 = v[i] - mu, d1 = v[i + 1] - mu, d2 = v[i + 2] - mu, d3 = v[i + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < m; i++) {
            float d = v[i] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double dot(float[] a, float[] b, int m) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < m; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < m; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[] scratch(int which, int size) {
        float[][] s = SCRATCH.get();
        if (s[which].length < size) {
            s[which] = new float[size];
        }
        return s[which];
    }

    /** Copies channel {@code ch} of every image of an NCHW buffer into {@code v} (image after image). */
    private static void gather(FloatBuffer src, float[] v, int n, int c, int hw, int ch) {
        for (int img = 0; img < n; img++) {
            src.get((img * c + ch) * hw, v, img * hw, hw);
        }
    }

    private static void scatter(float[] v, FloatBuffer dst, int n, int c, int hw, int ch) {
        for (int img = 0; img < n; img++) {
            dst.put((img * c + ch) * hw, v, img * hw, hw);
        }
    }
}
