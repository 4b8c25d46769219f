package org.cxrworkbook.image;

import java.nio.file.Path;
import java.util.function.Function;
import org.cxrworkbook.data.ImageRecord;

/**
 * Loads an image record as a square single-channel float image of the model's size, values in [0, 255]:
 * decode ({@link PngReader}), resize ({@link Resizer}), cache ({@link ImageCache}).
 */
public final class ImageLoader {

    private final Function<ImageRecord, Path> resolver;
    private final int size;
    private final ImageCache cache;

    /** A loader without cache; {@code resolver} maps a record to its file (e.g. {@code dataset::imagePath}). */
    public ImageLoader(Function<ImageRecord, Path> resolver, int size) {
        this(resolver, size, ImageCache.none());
    }

    /** A loader with the given cache. */
    public ImageLoader(Function<ImageRecord, Path> resolver, int size, ImageCache cache) {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        this.resolver = resolver;
        this.size = size;
        this.cache = cache;
    }

    /** Side length of the loaded images. */
    public int size() {
        return size;
    }

    /** The cache in use. */
    public ImageCache cache() {
        return cache;
    }

    /** The file of a record. */
    public Path path(ImageRecord r) {
        return resolver.apply(r);
    }

    /** The record's image at {@code size × size}, one channel, [0, 255]; a fresh copy the caller may modify. */
    public Pixels load(ImageRecord r) {
        return loadFile(resolver.apply(r));
    }

    /** The file's image at {@code size × size}, one channel, [0, 255]; a fresh copy the caller may modify. */
    public Pixels loadFile(Path file) {
        String key = ImageCache.key(file, size);
        Pixels cached = cache.get(key);
        if (cached != null) {
            return cached.copy();
        }
        Pixels p = Resizer.resize(PngReader.read(file), size, size);
        cache.put(key, p);
        return p.copy();
    }

    /** Decodes a file at its original resolution (for histograms of the raw image). */
    public static Pixels original(Path file) {
        return PngReader.read(file);
    }
}
