package org.cxrworkbook.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cache of decoded and resized images, keyed by file (absolute path, length, modification time) and
 * target size, in memory (LRU, bounded in bytes) and/or on disk (one raw float32 file per entry).
 *
 * <p>Thread-safe. Entries are stored unmodified; callers receive copies.
 */
public final class ImageCache {

    private final long maxMemoryBytes;
    private final Path dir;
    private final LinkedHashMap<String, Pixels> memory = new LinkedHashMap<>(256, 0.75f, true);
    private long memoryBytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private ImageCache(long maxMemoryBytes, Path dir) {
        this.maxMemoryBytes = maxMemoryBytes;
        this.dir = dir;
    }

    /** No caching: every load decodes the file. */
    public static ImageCache none() {
        return new ImageCache(0, null);
    }

    /** An in-memory LRU cache holding at most {@code maxBytes} of pixels (224² float = 200 KB per image). */
    public static ImageCache memory(long maxBytes) {
        return new ImageCache(maxBytes, null);
    }

    /** A disk cache under {@code dir} (survives the JVM), with an in-memory LRU of {@code maxBytes} in front. */
    public static ImageCache disk(Path dir, long maxMemoryBytes) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create image cache dir " + dir, e);
        }
        return new ImageCache(maxMemoryBytes, dir);
    }

    /** Number of loads served from the cache. */
    public long hits() {
        return hits.get();
    }

    /** Number of loads that had to decode. */
    public long misses() {
        return misses.get();
    }

    /** Key of a file at a target size; changes when the file changes. */
    static String key(Path file, int size) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return file.toAbsolutePath().normalize() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "|" + size;
        } catch (IOException e) {
            return null; // unreadable file: not cacheable, the decoder will report it
        }
    }

    /** The cached image for the key, or null. */
    Pixels get(String key) {
        if (key == null || (maxMemoryBytes <= 0 && dir == null)) {
            return null;
        }
        synchronized (memory) {
            Pixels p = memory.get(key);
            if (p != null) {
                hits.incrementAndGet();
                return p;
            }
        }
        if (dir != null) {
            Pixels p = readDisk(key);
            if (p != null) {
                hits.incrementAndGet();
                putMemory(key, p);
                return p;
            }
        }
        misses.incrementAndGet();
        return null;
    }

    /** Stores an image (must not be modified afterwards). */
    void put(String key, Pixels p) {
        if (key == null) {
            return;
        }
        putMemory(key, p);
        if (dir != null) {
            writeDisk(key, p);
        }
    }

    private void putMemory(String key, Pixels p) {
        long bytes = 4L * p.data().length;
        if (bytes > maxMemoryBytes) {
            return;
        }
        synchronized (memory) {
            if (memory.put(key, p) == null) {
                memoryBytes += bytes;
            }
            var it = memory.entrySet().iterator();
            while (memoryBytes > maxMemoryBytes && it.hasNext()) {
                Map.Entry<String, Pixels> e = it.next();
                memoryBytes -= 4L * e.getValue().data().length;
                it.remove();
            }
        }
    }

    private Path diskFile(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(d, 0, 16) + ".f32");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Pixels readDisk(String key) {
        Path f = diskFile(key);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            int h = b.getInt();
            int w = b.getInt();
            if (b.remaining() != 4L * h * w) {
                return null; // partial or foreign file: recompute
            }
            float[] data = new float[h * w];
            b.asFloatBuffer().get(data);
            return Pixels.grey(h, w, data);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void writeDisk(String key, Pixels p) {
        Path f = diskFile(key);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * p.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(p.height()).putInt(p.width());
        b.asFloatBuffer().put(p.data());
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "tmp", ".part");
            Files.write(tmp, b.array());
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image cache entry " + f, e);
        } finally {
            // gone after the rename; after a failure (full disk) no partial entry is left (no fsync: a cache entry
            // that did not reach the disk is recomputed, see readDisk)
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do: the error that matters is the one being thrown
            }
        }
    }
}
