package org.cxrworkbook.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.cxrworkbook.data.ChestXrayDataset;
import org.cxrworkbook.data.CourseFolderWriter;
import org.cxrworkbook.data.NihFiles;
import org.cxrworkbook.data.phantom.PhantomGenerator;
import org.cxrworkbook.data.phantom.Renderer;
import org.cxrworkbook.data.phantom.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxr phantom}: generates the synthetic dataset in the NIH ChestX-ray14 layout. */
@Command(name = "phantom", mixinStandardHelpOptions = true,
        description = "Generate the phantom chest X-ray dataset (NIH ChestX-ray14 layout, or the course's folder layout).")
public final class PhantomCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (e.g. data/phantom).")
    Path out;

    @Option(names = "--images", defaultValue = "1200", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--size", defaultValue = "256", description = "Image side in pixels (default: ${DEFAULT-VALUE}; NIH: 1024).")
    int size;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--site", defaultValue = "A", description = "Acquisition site A or B (default: ${DEFAULT-VALUE}).")
    Site site;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--follow-ups", defaultValue = "3.0", description = "Mean films per patient (default: ${DEFAULT-VALUE}).")
    double followUps;

    @Option(names = "--floor", defaultValue = "0.02", description = "Minimum prevalence of any finding (default: ${DEFAULT-VALUE}).")
    double floor;

    @Option(names = "--renderer", defaultValue = "attenuation", description = "attenuation (exposure physics, vessel "
            + "tree, soft tissue, lesions at clinical sizes; the pretrained base and recorded runs are made with it) or "
            + "classic (the schematic films of earlier releases) (default: ${DEFAULT-VALUE}).")
    String renderer;

    @Option(names = "--label-noise", defaultValue = "0", paramLabel = "RATE", description = "planted label noise, 0-0.5 "
            + "(default: ${DEFAULT-VALUE} = off): per finding, this fraction of the films drawn with it are labelled "
            + "without it and as many others with it; every flip is listed in label_noise.csv next to Data_Entry.")
    double labelNoise;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--layout", defaultValue = "nih", description = "nih (Data_Entry, images/) or course "
            + "(train-small.csv, valid-small.csv, test.csv, images-small/: the phantom's patient-wise split, four test "
            + "films renamed to the course's Grad-CAM examples) (default: ${DEFAULT-VALUE}).")
    String layout;

    @Override
    public Integer call() {
        Renderer chosen;
        try {
            chosen = Renderer.parse(renderer);
        } catch (IllegalArgumentException e) {
            System.err.println("phantom: --" + e.getMessage());
            return 2;
        }
        PhantomGenerator.Builder b = PhantomGenerator.builder().images(images).size(size).seed(seed).site(site)
                .meanFollowUps(followUps).prevalenceFloor(floor).renderer(chosen).labelNoise(labelNoise).progress(quiet ? null : System.err);
        if (threads != null) {
            b.threads(threads);
        }
        if (!layout.equals("nih") && !layout.equals("course")) {
            System.err.println("phantom: --layout must be nih or course, not '" + layout + "'");
            return 2;
        }
        if (layout.equals("nih")) {
            System.out.print(b.build().generate(out));
            return 0;
        }
        Path nih = out.toAbsolutePath().resolveSibling(out.getFileName() + ".nih-tmp");
        try {
            System.out.print(b.build().generate(nih));
            ChestXrayDataset source = ChestXrayDataset.load(nih);
            System.out.println(CourseFolderWriter.write(source, source.splits(0.17, seed), out, true));
            // the course-layout folder is synthetic too: keep the phantom's mark, so notebooks and commands that ask
            // NihFiles.isPhantom (e.g. notebook 07's CheXNet comparison) do not take it for real films
            Files.copy(nih.resolve(NihFiles.PHANTOM_MARKER), out.resolve(NihFiles.PHANTOM_MARKER),
                    StandardCopyOption.REPLACE_EXISTING);
            if (Files.exists(nih.resolve("label_noise.csv"))) {
                Files.copy(nih.resolve("label_noise.csv"), out.resolve("label_noise.csv"), StandardCopyOption.REPLACE_EXISTING);
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(NihFiles.PHANTOM_MARKER), e);
        } finally {
            deleteTree(nih);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
