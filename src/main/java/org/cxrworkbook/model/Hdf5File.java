package org.cxrworkbook.model;

import static org.bytedeco.hdf5.global.hdf5.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * The few HDF5 operations Keras' weight files need (string-array attributes, float datasets at slash paths),
 * written against bytedeco's HDF5 C API because DL4J's {@code Hdf5Archive} can read but not write.
 * Not thread-safe on its own: every call locks DL4J's global HDF5 lock, as {@code Hdf5Archive} does.
 */
final class Hdf5File implements AutoCloseable {

    /** A float dataset: its shape and its values in C order. */
    record Floats(long[] shape, float[] values) {
    }

    private final long file;
    private final String name;

    private Hdf5File(long file, String name) {
        this.file = file;
        this.name = name;
    }

    static {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5Eset_auto2(H5E_DEFAULT(), null, null); // we report failures ourselves; no C error stacks on stderr
        }
    }

    /** Opens an existing file read-only; IOException when it is missing, truncated or not HDF5. */
    static Hdf5File open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("no such file");
        }
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long id = H5Fopen(path.toString(), H5F_ACC_RDONLY(), H5P_DEFAULT());
            if (id < 0) {
                throw new IOException("not a readable HDF5 file (truncated, or not HDF5 at all)");
            }
            return new Hdf5File(id, path.toString());
        }
    }

    /** Creates (or truncates) a file for writing. */
    static Hdf5File create(Path path) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long id = H5Fcreate(path.toString(), H5F_ACC_TRUNC(), H5P_DEFAULT(), H5P_DEFAULT());
            if (id < 0) {
                throw new IOException("cannot create HDF5 file " + path);
            }
            return new Hdf5File(id, path.toString());
        }
    }

    /** Whether an object (group or dataset) exists at the absolute or relative slash path. */
    boolean exists(String path) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            String p = "";
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                p = p + "/" + part;
                if (H5Lexists(file, p, H5P_DEFAULT()) <= 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether the object at {@code path} has attribute {@code attr}. */
    boolean hasAttribute(String path, String attr) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (!exists(path)) {
                return false;
            }
            long obj = H5Oopen(file, path, H5P_DEFAULT());
            try {
                return obj >= 0 && H5Aexists(obj, attr) > 0;
            } finally {
                if (obj >= 0) {
                    H5Oclose(obj);
                }
            }
        }
    }

    /** Reads a string (or string-array) attribute, fixed- or variable-length, as a list. */
    List<String> readStrings(String path, String attr) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long obj = H5Oopen(file, path, H5P_DEFAULT());
            if (obj < 0) {
                throw new IOException("no object " + path);
            }
            long a = -1, type = -1, space = -1;
            try {
                a = H5Aopen(obj, attr, H5P_DEFAULT());
                if (a < 0) {
                    throw new IOException("no attribute '" + attr + "' on " + path);
                }
                type = H5Aget_type(a);
                space = H5Aget_space(a);
                int n = (int) H5Sget_simple_extent_npoints(space);
                List<String> out = new ArrayList<>(n);
                if (H5Tis_variable_str(type) > 0) {
                    long mem = H5Tcopy(H5T_C_S1_g());
                    H5Tset_size(mem, H5T_VARIABLE());
                    PointerPointer<BytePointer> ptrs = new PointerPointer<>(n);
                    check(H5Aread(a, mem, ptrs), path + "@" + attr);
                    for (int i = 0; i < n; i++) {
                        out.add(ptrs.getString(i));
                    }
                    H5Treclaim(mem, space, H5P_DEFAULT(), ptrs);
                    H5Tclose(mem);
                } else {
                    int size = (int) H5Tget_size(type);
                    BytePointer buf = new BytePointer((long) size * n);
                    check(H5Aread(a, type, buf), path + "@" + attr);
                    byte[] bytes = new byte[size * n];
                    buf.get(bytes);
                    for (int i = 0; i < n; i++) {
                        int len = 0;
                        while (len < size && bytes[i * size + len] != 0) {
                            len++;
                        }
                        out.add(new String(bytes, i * size, len, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    buf.close();
                }
                return out;
            } finally {
                if (space >= 0) H5Sclose(space);
                if (type >= 0) H5Tclose(type);
                if (a >= 0) H5Aclose(a);
                H5Oclose(obj);
            }
        }
    }

    /** Reads a dataset as float32 (HDF5 converts from the stored type). */
    Floats readFloats(String path) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long ds = H5Dopen2(file, path, H5P_DEFAULT());
            if (ds < 0) {
                throw new IOException("no dataset " + path);
            }
            long space = H5Dget_space(ds);
            try {
                int rank = H5Sget_simple_extent_ndims(space);
                long[] dims = new long[Math.max(rank, 0)];
                H5Sget_simple_extent_dims(space, dims, null);
                long n = H5Sget_simple_extent_npoints(space);
                try (FloatPointer buf = new FloatPointer(n)) {
                    check(H5Dread(ds, H5T_NATIVE_FLOAT_g(), H5S_ALL(), H5S_ALL(), H5P_DEFAULT(), buf),
                            "dataset " + path + " (file truncated?)");
                    float[] values = new float[(int) n];
                    buf.get(values);
                    return new Floats(dims, values);
                }
            } finally {
                H5Sclose(space);
                H5Dclose(ds);
            }
        }
    }

    /** Creates a group (and any missing parent groups). */
    void createGroup(String path) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            if (exists(path)) {
                return;
            }
            long lcpl = linkCreateWithParents();
            long g = H5Gcreate2(file, path, lcpl, H5P_DEFAULT(), H5P_DEFAULT());
            H5Pclose(lcpl);
            check(g, "create group " + path);
            H5Gclose(g);
        }
    }

    /** Writes a string-array attribute as numpy's fixed-length byte strings (what h5py writes for Keras). */
    void writeStrings(String path, String attr, List<String> values) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            byte[][] enc = values.stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toArray(byte[][]::new);
            int size = 1;
            for (byte[] e : enc) {
                size = Math.max(size, e.length);
            }
            byte[] buf = new byte[size * enc.length];
            for (int i = 0; i < enc.length; i++) {
                System.arraycopy(enc[i], 0, buf, i * size, enc[i].length);
            }
            writeStringAttribute(path, attr, size, new long[] {enc.length}, buf);
        }
    }

    /** Writes a scalar string attribute (Keras' {@code backend}, {@code keras_version}). */
    void writeString(String path, String attr, String value) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            writeStringAttribute(path, attr, Math.max(1, b.length), null, b.length == 0 ? new byte[1] : b);
        }
    }

    private void writeStringAttribute(String path, String attr, int size, long[] dims, byte[] data) throws IOException {
        long obj = H5Oopen(file, path, H5P_DEFAULT());
        check(obj, "open " + path);
        long type = H5Tcopy(H5T_C_S1_g());
        H5Tset_size(type, size);
        H5Tset_strpad(type, H5T_STR_NULLPAD);
        long space = dims == null ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, dims, null);
        long a = H5Acreate2(obj, attr, type, space, H5P_DEFAULT(), H5P_DEFAULT());
        try (BytePointer p = new BytePointer(data.length)) {
            check(a, "create attribute " + attr + " on " + path);
            p.put(data);
            check(H5Awrite(a, type, p), "write attribute " + attr);
        } finally {
            if (a >= 0) H5Aclose(a);
            H5Sclose(space);
            H5Tclose(type);
            H5Oclose(obj);
        }
    }

    /** Writes a float32 dataset of the given shape (values in C order), creating parent groups. */
    void writeFloats(String path, long[] shape, float[] values) throws IOException {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            long space = H5Screate_simple(shape.length, shape, null);
            long lcpl = linkCreateWithParents();
            long ds = H5Dcreate2(file, path, H5T_IEEE_F32LE_g(), space, lcpl, H5P_DEFAULT(), H5P_DEFAULT());
            H5Pclose(lcpl);
            try (FloatPointer p = new FloatPointer(values)) {
                check(ds, "create dataset " + path);
                check(H5Dwrite(ds, H5T_NATIVE_FLOAT_g(), H5S_ALL(), H5S_ALL(), H5P_DEFAULT(), p), "write " + path);
            } finally {
                if (ds >= 0) H5Dclose(ds);
                H5Sclose(space);
            }
        }
    }

    private static long linkCreateWithParents() {
        long lcpl = H5Pcreate(H5P_CLS_LINK_CREATE_ID_g());
        H5Pset_create_intermediate_group(lcpl, 1);
        return lcpl;
    }

    private void check(long status, String what) throws IOException {
        if (status < 0) {
            throw new IOException(what + " failed in " + name);
        }
    }

    @Override
    public void close() {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5Fclose(file);
        }
    }
}
