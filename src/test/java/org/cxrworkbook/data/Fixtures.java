package org.cxrworkbook.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A tiny dataset in the real NIH formats (6 patients, 9 images), written into a test folder. */
final class Fixtures {

    static final String HEADER = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
            + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]";

    /** Data rows (v2020 format, 11 fields); CSV row number = index + 2. */
    static final List<String> ROWS = List.of(
            "00000001_000.png,Cardiomegaly,0,1,57,M,PA,2682,2749,0.143,0.143",
            "00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA,2894,2729,0.143,0.143",
            "00000002_000.png,No Finding,0,2,81,M,PA,2500,2048,0.171,0.171",
            "00000003_000.png,Hernia,0,3,81,F,PA,2582,2991,0.143,0.143",
            "00000003_001.png,Hernia|Infiltration,1,3,74,F,PA,2500,2048,0.168,0.168",
            "00000004_000.png,Mass|Nodule,0,4,82,M,AP,2500,2048,0.168,0.168",
            "00000005_000.png,No Finding,0,5,69,F,PA,2048,2500,0.168,0.168",
            "00000005_001.png,Effusion|Infiltration|Pleural_Thickening,1,5,69,F,AP,2048,2500,0.168,0.168",
            "00000006_000.png,Atelectasis|Consolidation|Edema|Fibrosis|Pneumonia|Pneumothorax,0,6,40,M,AP,3056,2544,0.139,0.139");

    static final String BBOX_HEADER = "Image Index,Finding Label,Bbox [x,y,w,h],,,";
    static final List<String> BBOX_ROWS = List.of(
            "00000006_000.png,Atelectasis,225.084745762712,547.019216763771,86.7796610169491,79.1864406779661,,,",
            "00000005_001.png,Infiltrate,10,20,30.5,40.25,,,");

    static final List<String> TRAIN_VAL = List.of("00000001_000.png", "00000001_001.png", "00000002_000.png",
            "00000003_000.png", "00000003_001.png", "00000005_000.png", "00000005_001.png");
    static final List<String> TEST = List.of("00000004_000.png", "00000006_000.png");

    private Fixtures() {
    }

    /** Side of the films that have a lesion box: NIH's boxes are pixels of its 1024² PNGs. */
    static final int BOXED_SIDE = 1024;

    /**
     * Writes the complete, valid dataset (v2020 CSV, boxes, official lists, grey PNGs): 8×8 films, except the two
     * with lesion boxes, which are 1024² like NIH's so that their boxes lie inside them.
     */
    static Path dataset(Path root) {
        write(root.resolve(NihFiles.DATA_ENTRY), HEADER, ROWS);
        write(root.resolve(NihFiles.BBOX_LIST), BBOX_HEADER, BBOX_ROWS);
        lines(root.resolve(NihFiles.TRAIN_VAL_LIST), TRAIN_VAL);
        lines(root.resolve(NihFiles.TEST_LIST), TEST);
        for (String row : ROWS) {
            String name = row.substring(0, row.indexOf(','));
            boolean boxed = BBOX_ROWS.stream().anyMatch(b -> b.startsWith(name + ","));
            png(root.resolve(NihFiles.IMAGES).resolve(name), BufferedImage.TYPE_BYTE_GRAY, boxed ? BOXED_SIDE : 8);
        }
        return root;
    }

    static void write(Path file, String header, List<String> rows) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        rows.forEach(r -> sb.append(r).append('\n'));
        text(file, sb.toString());
    }

    static void lines(Path file, List<String> names) {
        text(file, String.join("\n", names) + "\n");
    }

    static void text(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An 8×8 PNG of the given BufferedImage type with a gradient in every channel. */
    static Path png(Path file, int type) {
        return png(file, type, 8);
    }

    /** A {@code side}² PNG of the given BufferedImage type with a gradient in every channel. */
    static Path png(Path file, int type, int side) {
        BufferedImage img = new BufferedImage(side, side, type);
        var raster = img.getRaster();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                for (int b = 0; b < raster.getNumBands(); b++) {
                    raster.setSample(x, y, b, type == BufferedImage.TYPE_USHORT_GRAY ? (1000 * (x + y)) & 0xFFFF : (30 * x + y) & 0xFF);
                }
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer for type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** CSV row number (1-based, header = 1) of the fixture row for an image. */
    static long row(String image) {
        for (int i = 0; i < ROWS.size(); i++) {
            if (ROWS.get(i).startsWith(image + ",")) {
                return i + 2;
            }
        }
        throw new IllegalArgumentException(image);
    }
}
