package org.cxrworkbook.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds image files by name under {@code images/} or, as in the real NIH download, under
 * {@code images_001/images/} … {@code images_012/images/}; the folders are listed once.
 */
public final class ImageLocator {

    private final Path fallbackDir;
    private final Map<String, Path> files;

    private ImageLocator(Path fallbackDir, Map<String, Path> files) {
        this.fallbackDir = fallbackDir;
        this.files = files;
    }

    /** Lists the image folders of a dataset root once. */
    public static ImageLocator index(Path root) {
        return new ImageLocator(root.resolve(NihFiles.IMAGES), list(imageFolders(root)));
    }

    /** Lists one image folder (e.g. the course's {@code images-small/}); an absent folder holds no images. */
    public static ImageLocator folder(Path dir) {
        return new ImageLocator(dir, list(Files.isDirectory(dir) ? List.of(dir) : List.of()));
    }

    private static Map<String, Path> list(List<Path> folders) {
        Map<String, Path> files = new HashMap<>(1 << 17);
        for (Path dir : folders) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.png")) {
                for (Path p : stream) {
                    files.putIfAbsent(p.getFileName().toString(), p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return files;
    }

    private static List<Path> imageFolders(Path root) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return dirs; // reported by the caller as a missing dataset folder
        }
        if (Files.isDirectory(root.resolve(NihFiles.IMAGES))) {
            dirs.add(root.resolve(NihFiles.IMAGES));
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, "images_*")) {
            List<Path> parts = new ArrayList<>();
            stream.forEach(parts::add);
            parts.sort(null);
            for (Path part : parts) {
                Path inner = part.resolve(NihFiles.IMAGES);
                dirs.add(Files.isDirectory(inner) ? inner : part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return dirs;
    }

    /** The file of an image, if present. */
    public Optional<Path> find(String imageIndex) {
        return Optional.ofNullable(files.get(imageIndex));
    }

    /** The file of an image, or where it would be in {@code images/} (course: {@code images-small/}) when absent. */
    public Path path(String imageIndex) {
        return find(imageIndex).orElse(fallbackDir.resolve(imageIndex));
    }

    /** Number of image files found. */
    public int size() {
        return files.size();
    }
}
