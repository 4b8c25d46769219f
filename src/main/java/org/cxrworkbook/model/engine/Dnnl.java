package org.cxrworkbook.model.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;

/**
 * A thin layer over oneDNN 2.5's C API (JavaCPP preset {@code org.bytedeco:dnnl}): one CPU engine and stream,
 * memories whose buffers this class owns, primitives with their argument lists built once, reorders.
 *
 * <p>Hand-written because the preset is a one-to-one binding of the C API with status codes and out-parameters;
 * this keeps every handle referenced from Java for as long as it is used (JavaCPP frees what the garbage collector
 * finds unreferenced) and turns a failed status into an exception naming the call.
 */
public final class Dnnl {

    public final dnnl_engine engine = new dnnl_engine();
    public final dnnl_stream stream = new dnnl_stream();
    /** Every native object made through this instance, so none is collected while a primitive may use it. */
    private final List<Pointer> keep = new ArrayList<>();

    public Dnnl() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "dnnl_engine_create");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "dnnl_stream_create");
    }

    /**
     * The blocked activation layout oneDNN's convolutions choose on this CPU (nChw16c with AVX-512, nChw8c with
     * AVX2, else nchw), found by asking a convolution with {@code format_tag any}. BatchNorm, pooling and the
     * concatenation use it too: given a layout their JIT kernels do not support (nChw16c on an AVX2 machine)
     * they fall back to reference kernels.
     */
    public int activationTag() {
        long[] dims = {8, 64, 8, 8};
        dnnl_memory_desc_t any = md(dnnl_format_tag_any, dims);
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        LongPointer one = keep(new LongPointer(1L, 1L));
        LongPointer zero = keep(new LongPointer(0L, 0L));
        check(dnnl_convolution_forward_desc_init(cd, dnnl_forward_training, dnnl_convolution_direct, any,
                md(dnnl_format_tag_any, 64, 64, 1, 1), null, any, one, zero, zero), "dnnl_convolution_forward_desc_init");
        dnnl_memory_desc_t chosen = argMd(pd(cd, null, "layout probe"), DNNL_ARG_SRC);
        for (int tag : new int[] {dnnl_nChw16c, dnnl_nChw8c}) {
            if (same(chosen, md(tag, dims))) {
                return tag;
            }
        }
        return dnnl_nchw;
    }

    /** Throws naming {@code call} unless {@code status} is dnnl_success. */
    public static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException(call + " failed with oneDNN status " + status);
        }
    }

    /** oneDNN's version, e.g. "2.5.2". */
    public static String version() {
        var v = dnnl_version();
        return v.major() + "." + v.minor() + "." + v.patch();
    }

    /** An f32 memory descriptor of {@code dims} in format {@code tag} (dnnl_format_tag_any lets a primitive choose). */
    public dnnl_memory_desc_t md(int tag, long... dims) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, keep(new LongPointer(dims)), dnnl_f32, tag),
                "dnnl_memory_desc_init_by_tag");
        return keep(md);
    }

    /** The descriptor a primitive expects for execution argument {@code arg} (DNNL_ARG_SRC, …), or null if none. */
    public static dnnl_memory_desc_t argMd(dnnl_primitive_desc pd, int arg) {
        dnnl_memory_desc_t md = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, arg);
        return md == null || md.isNull() || md.ndims() == 0 ? null : md;
    }

    public static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    /** The implementation oneDNN picked for {@code pd}, e.g. "jit:avx512_core" or "ref:any". */
    public static String impl(dnnl_primitive_desc pd) {
        PointerPointer<?> out = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "dnnl_primitive_desc_query(impl)");
        return new BytePointer(out.get(0)).getString();
    }

    /** A primitive descriptor from an operation descriptor, optionally with the forward one as hint. */
    public dnnl_primitive_desc pd(Pointer opDesc, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(opDesc), null, engine, hint),
                "dnnl_primitive_desc_create(" + what + ")");
        keep(opDesc);
        return keep(pd);
    }

    /**
     * The forward-training and backward primitive descriptors of a batch-statistics BatchNorm over {@code data} with
     * scale, shift and the ReLU fused (the training engine's BN+ReLU).
     */
    public dnnl_primitive_desc[] batchNormReluTraining(dnnl_memory_desc_t data, float eps) {
        int flags = dnnl_use_scale | dnnl_use_shift | dnnl_fuse_norm_relu;
        dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
        check(dnnl_batch_normalization_forward_desc_init(fd, dnnl_forward_training, data, eps, flags),
                "dnnl_batch_normalization_forward_desc_init");
        dnnl_primitive_desc fpd = pd(fd, null, "batch normalization forward training");
        dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
        check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, data, data, eps, flags),
                "dnnl_batch_normalization_backward_desc_init");
        return new dnnl_primitive_desc[] {fpd, pd(bd, fpd, "batch normalization backward")};
    }

    /** A memory of descriptor {@code md} over a buffer of its own (zeroed). */
    public Mem memory(dnnl_memory_desc_t md) {
        long bytes = dnnl_memory_desc_get_size(md);
        FloatPointer data = keep(new FloatPointer(Math.max(1, bytes / 4)));
        Pointer.memset(data, 0, bytes);
        return wrap(md, data);
    }

    /** A memory of descriptor {@code md} over {@code data} (a view: sub-memories share the parent's buffer). */
    public Mem wrap(dnnl_memory_desc_t md, FloatPointer data) {
        dnnl_memory mem = new dnnl_memory();
        check(dnnl_memory_create(mem, md, engine, data), "dnnl_memory_create");
        keep(mem);
        return new Mem(mem, md, data);
    }

    /** A primitive of {@code pd} bound to its arguments: pairs of (DNNL_ARG_*, memory). */
    public Exec exec(dnnl_primitive_desc pd, Object... argAndMem) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "dnnl_primitive_create");
        keep(p);
        return bind(p, impl(pd), argAndMem);
    }

    /** The primitive of {@code e} bound to other arguments (one compiled kernel, several argument sets). */
    public Exec rebind(Exec e, Object... argAndMem) {
        return bind(e.primitive(), e.impl(), argAndMem);
    }

    private Exec bind(dnnl_primitive p, String impl, Object... argAndMem) {
        int n = argAndMem.length / 2;
        dnnl_exec_arg_t args = keep(new dnnl_exec_arg_t(n));
        for (int i = 0; i < n; i++) {
            Mem m = (Mem) argAndMem[2 * i + 1];
            args.position(i).arg((Integer) argAndMem[2 * i]).memory(m.handle);
        }
        args.position(0);
        return new Exec(this, p, n, args, impl);
    }

    /** A memory of descriptor {@code md} over memory owned by someone else, starting at {@code address}. */
    public Mem wrapAt(dnnl_memory_desc_t md, long address) {
        return wrap(md, new FloatPointer(new At(address)));
    }

    /** Points {@code m} at the memory starting at {@code address} (same descriptor, no copy). */
    public static void point(Mem m, long address) {
        check(dnnl_memory_set_data_handle(m.handle(), new At(address)), "dnnl_memory_set_data_handle");
    }

    /** The {@code n} floats starting at {@code address} as a buffer (no copy). */
    public static java.nio.FloatBuffer floats(long address, long n) {
        return new FloatPointer(new At(address)).capacity(n).asBuffer();
    }

    /** Copies {@code bytes} from address {@code from} to address {@code to}. */
    public static void copy(long from, long to, long bytes) {
        Pointer.memcpy(new At(to), new At(from), bytes);
    }

    /** Frees every native object made through this instance (buffers, memories, primitives) now, not at GC. */
    public void close() {
        for (int i = keep.size() - 1; i >= 0; i--) {
            keep.get(i).close();
        }
        keep.clear();
        stream.close();
        engine.close();
    }

    /** A pointer to a given address (position 0), for memory this class does not own. */
    private static final class At extends Pointer {
        At(long address) {
            this.address = address;
        }
    }

    /** A reorder primitive copying {@code from} into {@code to} (layouts converted). */
    public Exec reorder(Mem from, Mem to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from.md, engine, to.md, engine, null),
                "dnnl_reorder_primitive_desc_create");
        keep(pd);
        return exec(pd, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
    }

    /** Waits for everything submitted to the stream. */
    public void sync() {
        check(dnnl_stream_wait(stream), "dnnl_stream_wait");
    }

    /** Copies {@code values} (plain layout {@code plainTag}) into {@code target}, reordering as needed. */
    public void write(float[] values, int plainTag, long[] dims, Mem target) {
        Mem plain = memory(md(plainTag, dims));
        plain.data.put(values);
        reorder(plain, target).run();
        sync();
    }

    /** The contents of {@code source} in plain layout {@code plainTag}. */
    public float[] read(Mem source, int plainTag, long[] dims) {
        Mem plain = memory(md(plainTag, dims));
        reorder(source, plain).run();
        sync();
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] out = new float[(int) n];
        plain.data.get(out);
        return out;
    }

    private <P extends Pointer> P keep(P p) {
        keep.add(p);
        return p;
    }

    /** A oneDNN memory with its descriptor and the buffer it lives in. */
    public record Mem(dnnl_memory handle, dnnl_memory_desc_t md, FloatPointer data) {
    }

    /** A primitive with its argument list; {@link #run()} submits it to the stream. */
    public record Exec(Dnnl dnnl, dnnl_primitive primitive, int nargs, dnnl_exec_arg_t args, String impl) {
        public void run() {
            check(dnnl_primitive_execute(primitive, dnnl.stream, nargs, args), "dnnl_primitive_execute(" + impl + ")");
        }
    }
}
