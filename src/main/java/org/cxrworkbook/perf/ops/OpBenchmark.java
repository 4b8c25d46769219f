package org.cxrworkbook.perf.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.cxrworkbook.model.engine.Dnnl;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Worker of {@code cxr bench-ops}: in one JVM, for each of DenseNet121's operations at one input size, checks that
 * oneDNN called directly gives DL4J's outputs and gradients on the same data, then times both forward and backward,
 * alternating which runs first from one iteration to the next. Also reports how the two native libraries share the
 * process (OpenMP runtimes mapped, threads busy). Prints one "OP {json}" line per operation and a final
 * "RESULT {json}".
 */
public final class OpBenchmark {

    /** Largest relative difference (max |oneDNN − DL4J| / max |DL4J| per array) accepted by the check. */
    public static final double TOLERANCE = 1e-4;

    private OpBenchmark() {
    }

    /** Timings and check of one operation. */
    public record OpTiming(OpCase op, double dl4jForwardMs, double dl4jBackwardMs, double dnnlForwardMs,
                           double dnnlBackwardMs, double maxRelativeError, String worstArray, long elementsOverTolerance,
                           long reluFlips, String dnnlImpl) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", op.key());
            m.put("kind", op.kind().toString());
            m.put("count", op.count());
            m.put("shape", op.channels() + "x" + op.side() + "x" + op.side() + "->" + op.outputChannels() + "x"
                    + op.outSide() + "x" + op.outSide());
            m.put("dl4j_fwd_ms", dl4jForwardMs);
            m.put("dl4j_bwd_ms", dl4jBackwardMs);
            m.put("dnnl_fwd_ms", dnnlForwardMs);
            m.put("dnnl_bwd_ms", dnnlBackwardMs);
            m.put("max_rel_err", maxRelativeError);
            m.put("worst_array", worstArray);
            m.put("elements_over_tolerance", elementsOverTolerance);
            m.put("relu_flips", reluFlips);
            m.put("dnnl_impl", dnnlImpl);
            return m;
        }
    }

    /** Random data for {@code op}: inputs N(0,1) (non-negative for the max-pool, which follows a ReLU), He-scaled weights. */
    static OpRunner.OpData randomData(OpCase op, long seed) {
        Random r = new Random(seed);
        int n = op.batch();
        List<float[]> inputs = new ArrayList<>();
        inputs.add(gaussian(r, (long) n * op.channels() * op.side() * op.side(), 1, op.kind() == OpCase.Kind.MAX_POOL));
        if (op.kind() == OpCase.Kind.CONCAT) {
            inputs.add(gaussian(r, (long) n * op.outChannels() * op.side() * op.side(), 1, false));
        }
        Map<String, float[]> params = new LinkedHashMap<>();
        if (op.kind() == OpCase.Kind.CONV) {
            int fanIn = op.channels() * op.kernel() * op.kernel();
            params.put("conv/W", gaussian(r, (long) op.outChannels() * fanIn, Math.sqrt(2.0 / fanIn), false));
        } else if (op.kind() == OpCase.Kind.BN_RELU || op.kind() == OpCase.Kind.BN_RELU_NCHW) {
            batchNorm(r, params, "bn", op.channels());
        } else if (op.kind() == OpCase.Kind.DENSE_LAYER) {
            int mid = 4 * op.outChannels();
            batchNorm(r, params, "bn0", op.channels());
            params.put("conv1/W", gaussian(r, (long) mid * op.channels(), Math.sqrt(2.0 / op.channels()), false));
            batchNorm(r, params, "bn1", mid);
            params.put("conv2/W", gaussian(r, (long) op.outChannels() * mid * 9, Math.sqrt(2.0 / (mid * 9)), false));
        }
        float[] grad = gaussian(r, (long) n * op.outputChannels() * op.outSide() * op.outSide(), 1, false);
        return new OpRunner.OpData(inputs, params, grad);
    }

    private static void batchNorm(Random r, Map<String, float[]> params, String name, int channels) {
        float[] gamma = gaussian(r, channels, 0.2, false);
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] += 1;
        }
        params.put(name + "/gamma", gamma);
        params.put(name + "/beta", gaussian(r, channels, 0.2, false));
    }

    private static float[] gaussian(Random r, long n, double sd, boolean abs) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            double v = r.nextGaussian() * sd;
            a[i] = (float) (abs ? Math.abs(v) : v);
        }
        return a;
    }

    /** max |a − b| / max |b| (b the reference). */
    static double relativeError(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("lengths differ: " + a.length + " vs " + b.length);
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    /** The largest relative error between {@code test} and {@code reference} over output and all gradients. */
    static Map.Entry<String, Double> compare(OpRunner.OpResult test, OpRunner.OpResult reference) {
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("output", relativeError(test.output(), reference.output()));
        for (int i = 0; i < reference.inputGradients().size(); i++) {
            errors.put("d_input" + i, relativeError(test.inputGradients().get(i), reference.inputGradients().get(i)));
        }
        for (String k : reference.paramGradients().keySet()) {
            errors.put("d_" + k, relativeError(test.paramGradients().get(k), reference.paramGradients().get(k)));
        }
        return errors.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    }

    /** The array named as in {@link #compare}: "output", "d_input0", "d_conv/W", … */
    static float[] array(OpRunner.OpResult r, String name) {
        if (name.equals("output")) {
            return r.output();
        }
        if (name.startsWith("d_input")) {
            return r.inputGradients().get(Integer.parseInt(name.substring(7)));
        }
        return r.paramGradients().get(name.substring(2));
    }

    /** How many elements differ by more than {@link #TOLERANCE} × max |reference|. */
    static long overTolerance(float[] a, float[] reference) {
        double max = 0;
        for (float v : reference) {
            max = Math.max(max, Math.abs(v));
        }
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs((double) a[i] - reference[i]) > TOLERANCE * max) {
                n++;
            }
        }
        return n;
    }

    /** Checks and times {@code op}: {@code warmup} untimed then {@code iterations} timed rounds; medians in ms. */
    static OpTiming measure(OpCase op, int warmup, int iterations, long seed) {
        Dnnl dnnl = new Dnnl();
        OpRunner dl4j = Dl4jOp.create(op);
        OpRunner onednn = DnnlOps.create(dnnl, op);
        OpRunner.OpData data = randomData(op, seed);
        OpRunner.OpResult mine = onednn.check(data);
        OpRunner.OpResult reference = dl4j.check(data);
        Map.Entry<String, Double> worst = compare(mine, reference);
        long over = overTolerance(array(mine, worst.getKey()), array(reference, worst.getKey()));
        long flips = 0;
        for (int i = 0; i < mine.output().length; i++) {
            if ((mine.output()[i] > 0) != (reference.output()[i] > 0)) {
                flips++; // a ReLU output zero in one and positive in the other: BN output within rounding of 0
            }
        }
        double[][] t = new double[4][iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            boolean dl4jFirst = i % 2 == 0;
            double[] a = time(dl4jFirst ? dl4j : onednn);
            double[] b = time(dl4jFirst ? onednn : dl4j);
            if (i >= warmup) {
                double[] d = dl4jFirst ? a : b;
                double[] o = dl4jFirst ? b : a;
                t[0][i - warmup] = d[0];
                t[1][i - warmup] = d[1];
                t[2][i - warmup] = o[0];
                t[3][i - warmup] = o[1];
            }
        }
        return new OpTiming(op, median(t[0]), median(t[1]), median(t[2]), median(t[3]), worst.getValue(),
                worst.getKey(), over, op.kind() == OpCase.Kind.CONV ? 0 : flips, onednn.describe());
    }

    private static double[] time(OpRunner r) {
        long t0 = System.nanoTime();
        r.forward();
        long t1 = System.nanoTime();
        r.backward();
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * How ND4J and oneDNN share the process: OpenMP runtimes and oneDNN libraries mapped, ND4J's OpenMP thread count,
     * and the threads busy (CPU ticks) while each library runs {@code op} forward and backward for {@code seconds}.
     */
    static Map<String, Object> coexistence(OpCase op, double seconds, long seed) {
        Dnnl dnnl = new Dnnl();
        OpRunner dl4j = Dl4jOp.create(op);
        OpRunner onednn = DnnlOps.create(dnnl, op);
        OpRunner.OpData data = randomData(op, seed);
        dl4j.load(data);
        onednn.load(data);
        Runnable dl4jWork = () -> repeat(dl4j, seconds);
        Runnable dnnlWork = () -> repeat(onednn, seconds);
        dl4jWork.run(); // warm up both (JIT compilation included) before looking
        dnnlWork.run();
        Map<Integer, Long> dl4jBusy = NativeCoexistence.busyThreads(dl4jWork);
        Map<Integer, Long> dnnlBusy = NativeCoexistence.busyThreads(dnnlWork);
        Map<String, Long> dl4jThreads = named(dl4jBusy);
        Map<String, Long> dnnlThreads = named(dnnlBusy);
        Set<Integer> union = new TreeSet<>(dl4jBusy.keySet());
        union.addAll(dnnlBusy.keySet());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dnnl_version", Dnnl.version());
        m.put("openmp_runtimes_mapped", NativeCoexistence.mapped("libgomp", "libiomp", "libomp"));
        m.put("dnnl_libraries_mapped", NativeCoexistence.mapped("libdnnl", "libjnidnnl"));
        m.put("nd4j_libraries_mapped", NativeCoexistence.mapped("libnd4jcpu", "libjnind4jcpu"));
        m.put("nd4j_omp_max_threads", org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
        m.put("nd4j_max_threads", Nd4j.getEnvironment().maxThreads());
        m.put("dl4j_onednn_helpers", org.cxrworkbook.model.OneDnnHelpers.active());
        m.put("dl4j_batchnorm", Dl4jOp.create(OpCase.densenet121(64, 2).get(1)).describe());
        m.put("probe_op", op.key());
        m.put("busy_threads_dl4j", dl4jThreads);
        m.put("busy_threads_dnnl", dnnlThreads);
        m.put("busy_threads_union", union.size());
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** Forward and backward of {@code r} again and again for at least {@code seconds}. */
    private static void repeat(OpRunner r, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            r.forward();
            r.backward();
        } while (System.nanoTime() < end);
    }

    /** Busy threads as "tid name" → CPU ticks. */
    private static Map<String, Long> named(Map<Integer, Long> busy) {
        Map<String, Long> m = new LinkedHashMap<>();
        busy.forEach((tid, ticks) -> m.put(tid + " " + NativeCoexistence.threadName(tid), ticks));
        return m;
    }

    /**
     * Worker entry: {@code size batch warmup iterations seed [filter]}; {@code filter} keeps only operations whose key
     * contains it. Prints "OP {json}" per operation and "RESULT {json}" last.
     */
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        String filter = args.length > 5 ? args[5] : "";
        ObjectMapper json = new ObjectMapper();
        Nd4j.create(1); // ND4J's natives first, as in the workbook; oneDNN's load with the first Dnnl
        List<OpCase> ops = OpCase.densenet121(size, batch);
        OpCase probe = ops.stream().filter(o -> o.key().startsWith("block1/conv3x3")).findFirst().orElseThrow();
        Map<String, Object> env = coexistence(probe, 2.0, seed);
        System.err.println("[bench-ops] " + json.writeValueAsString(env));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OpCase op : ops) {
            if (!op.key().contains(filter)) {
                continue;
            }
            OpTiming t = measure(op, warmup, iterations, seed);
            Map<String, Object> row = t.json();
            rows.add(row);
            System.out.println("OP " + json.writeValueAsString(row));
            System.err.printf(Locale.ROOT, "[bench-ops] %d² %-32s DL4J %8.2f/%8.2f  oneDNN %7.2f/%7.2f ms  err %.1e (%s,"
                    + " %d elements over, %d ReLU flips)%n", size, op.key(), t.dl4jForwardMs(), t.dl4jBackwardMs(),
                    t.dnnlForwardMs(), t.dnnlBackwardMs(), t.maxRelativeError(), t.worstArray(),
                    t.elementsOverTolerance(), t.reluFlips());
            System.gc(); // let JavaCPP free the previous operation's native buffers
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("impl", "java");
        result.put("size", size);
        result.put("batch", batch);
        result.put("environment", env);
        result.put("ops", rows);
        System.out.println("RESULT " + json.writeValueAsString(result));
        System.exit(0);
    }
}
