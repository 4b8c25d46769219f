package org.cxrworkbook.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes output files whole or not at all: the content goes to a temporary file in the same folder, which is renamed
 * over the target only when complete. A failure (full disk, unwritable folder, an exception while writing) deletes
 * the temporary file and leaves the previous file as it was; the error ({@link OutputException}) names the file and why.
 */
public final class AtomicFiles {

    /** What writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What writes a file given a path (for libraries that only write to a path, e.g. DL4J's ModelSerializer). */
    @FunctionalInterface
    public interface PathContent {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code file} through {@code content}, atomically; returns {@code file}. */
    public static Path write(Path file, Content content) {
        return writeVia(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
        });
    }

    /** Writes {@code text} as UTF-8 into {@code file}, atomically. */
    public static Path writeString(Path file, String text) {
        return write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Lets {@code content} write a temporary file in {@code file}'s folder, then renames it to {@code file}. */
    public static Path writeVia(Path file, PathContent content) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = createTemporary(dir, file.getFileName().toString());
            content.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true); // on disk before it replaces the previous file
            }
            move(tmp, file);
            return file;
        } catch (IOException e) {
            throw new OutputException("cannot write " + file + ": " + reason(e) + " (nothing written; any previous "
                    + file.getFileName() + " is unchanged)", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file could not be removed either; the error above names the real cause
                }
            }
        }
    }

    /**
     * A new empty temporary file {@code .NAME.RANDOM.tmp} in {@code dir}, with the permissions a plain new file gets
     * (umask), not the owner-only ones of {@link Files#createTempFile}: the renamed output must stay readable.
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static void move(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Checks before any long work that files can be created in {@code dir} (creating it if needed) by writing and
     * deleting a probe file; throws naming the folder, what it is for and why not.
     */
    public static Path requireWritableFolder(Path dir, String what) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".cxr-write-check.", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException | UnsupportedOperationException e) {
            throw new OutputException("cannot write into " + what + " " + dir + ": " + reason(e)
                    + " (checked before starting, so no work was lost)", e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The cause in words: the file-system reason when there is one, else the exception's message. */
    static String reason(Exception e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return "a file is in the way: " + f.getFile();
        }
        String own = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // e.g. ImageIO's "I/O error writing PNG file!" hides "No space left on device" in its cause
        return root != e && root.getMessage() != null ? own + " (" + root.getMessage() + ")" : own;
    }
}
