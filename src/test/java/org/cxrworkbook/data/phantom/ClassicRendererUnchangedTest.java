package org.cxrworkbook.data.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic renderer's output is byte-identical to the sets of releases before the attenuation renderer (when
 * classic was the only renderer and the pretrained base, figures and recorded runs were made with it): the expected
 * digests were computed from sets written by main at 702ed31 with the same options; the attenuation renderer is the
 * default ({@link #theDefaultIsTheAttenuationRenderer}). Digest = SHA-256 over every file of the set in
 * sorted relative-path order, each as its path (UTF-8), a zero byte, then its bytes (PNGs, CSVs, phantom.json).
 */
class ClassicRendererUnchangedTest {

    @TempDir
    Path dir;

    static String digest(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> files = s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                md.update(f.toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Files.readAllBytes(root.resolve(f)));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void siteAWithTheClassicRendererIsByteIdenticalToMainBeforeTheOption() {
        Path out = dir.resolve("a");
        // as: cxr phantom --out OUT --images 40 --size 96 --seed 11 --threads 2 --renderer classic --quiet  (45 files)
        PhantomGenerator.builder().images(40).size(96).seed(11).threads(2).renderer(Renderer.CLASSIC).progress(null)
                .build().generate(out);
        assertEquals("2baeff4aa836f933592b72669c780ee6b201ecf1261842bf7f38e7f7c6008cdc", digest(out));
    }

    @Test
    void siteBWithTheClassicRendererNamedIsByteIdenticalToo() {
        Path out = dir.resolve("b");
        // as: cxr phantom --out OUT --images 30 --size 64 --seed 3 --site B --threads 1 --quiet  (35 files)
        PhantomGenerator.builder().images(30).size(64).seed(3).site(Site.B).threads(1).renderer(Renderer.CLASSIC)
                .progress(null).build().generate(out);
        assertEquals("c8eac18ca14c6b6dc633b4d621971bb01ee78e352a90e1e78cb64b2835c28cfb", digest(out));
    }

    @Test
    void theAttenuationRendererWritesOtherPixelsButTheSameLabelsAndSaysSoInItsMarker() throws IOException {
        Path classic = dir.resolve("c");
        Path attenuation = dir.resolve("t");
        PhantomGenerator.builder().images(12).size(64).seed(5).threads(1).renderer(Renderer.CLASSIC).progress(null)
                .build().generate(classic);
        PhantomGenerator.builder().images(12).size(64).seed(5).threads(1).renderer(Renderer.ATTENUATION).progress(null)
                .build().generate(attenuation);
        for (String same : List.of("Data_Entry_2017_v2020.csv", "train_val_list.txt", "test_list.txt")) {
            assertEquals(Files.readString(classic.resolve(same)), Files.readString(attenuation.resolve(same)), same);
        }
        assertNotEquals(digest(classic.resolve("images")), digest(attenuation.resolve("images")));
        Path twoThreads = dir.resolve("t2");
        PhantomGenerator.builder().images(12).size(64).seed(5).threads(2).renderer(Renderer.ATTENUATION).progress(null)
                .build().generate(twoThreads);
        assertEquals(digest(attenuation), digest(twoThreads), "the attenuation set is the same for any thread count");
        assertEquals(false, Files.readString(classic.resolve("phantom.json")).contains("renderer"));
        assertEquals(true, Files.readString(attenuation.resolve("phantom.json")).contains("\"renderer\": \"attenuation\""));
    }

    @Test
    void theDefaultIsTheAttenuationRenderer() {
        Path unnamed = dir.resolve("d");
        Path named = dir.resolve("n");
        PhantomGenerator.builder().images(12).size(64).seed(5).threads(1).progress(null).build().generate(unnamed);
        PhantomGenerator.builder().images(12).size(64).seed(5).threads(1).renderer(Renderer.ATTENUATION).progress(null)
                .build().generate(named);
        assertEquals(digest(named), digest(unnamed));
        assertEquals(Renderer.ATTENUATION, Renderer.DEFAULT);
    }
}
