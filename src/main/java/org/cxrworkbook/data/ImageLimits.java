package org.cxrworkbook.data;

import java.util.Optional;

/**
 * The largest image the workbook accepts, checked from the PNG header before any pixel is decoded: at most
 * {@link #maxSide()} pixels per side (default {@value #DEFAULT_MAX_SIDE}, NIH's films are 1024²; set with
 * {@code -Dcxr.maxImageSide=N}, 1–{@value #HARD_MAX_SIDE}) and a valid PNG bit depth for the colour type.
 * Decoding an accepted image needs at most 4·width·height bytes for the float result plus two rows.
 */
public final class ImageLimits {

    /** Default largest side in pixels. */
    public static final int DEFAULT_MAX_SIDE = 8192;
    /** Upper bound for {@code cxr.maxImageSide}: 16384² floats are 1 GiB. */
    public static final int HARD_MAX_SIDE = 16384;
    /** The system property that changes the largest side. */
    public static final String PROPERTY = "cxr.maxImageSide";

    private ImageLimits() {
    }

    /** The largest accepted side: {@code cxr.maxImageSide} if set (refused with its value if invalid), else 8192. */
    public static int maxSide() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            return DEFAULT_MAX_SIDE;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= HARD_MAX_SIDE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": expected a whole number of pixels from 1 to "
                + HARD_MAX_SIDE);
    }

    /** What is wrong with an image of this header, if anything: too large, or an invalid bit depth / colour type. */
    public static Optional<String> problem(PngHeader h) {
        int max = maxSide();
        if (h.width() > max || h.height() > max) {
            return Optional.of("image is " + h.width() + "x" + h.height() + " pixels, larger than the limit of "
                    + max + " per side (-D" + PROPERTY + ")");
        }
        boolean ok = switch (h.colourType()) {
            case 0 -> h.bitDepth() == 1 || h.bitDepth() == 2 || h.bitDepth() == 4 || h.bitDepth() == 8
                    || h.bitDepth() == 16;
            case 3 -> h.bitDepth() == 1 || h.bitDepth() == 2 || h.bitDepth() == 4 || h.bitDepth() == 8;
            case 2, 4, 6 -> h.bitDepth() == 8 || h.bitDepth() == 16;
            default -> false;
        };
        if (!ok) {
            return Optional.of("invalid PNG header: bit depth " + h.bitDepth() + " with colour type " + h.colourType()
                    + " (PNG allows grey 1/2/4/8/16, palette 1/2/4/8, RGB, grey+alpha and RGBA 8/16)");
        }
        if (h.interlace() > 1) {
            return Optional.of("invalid PNG header: interlace method " + h.interlace());
        }
        return Optional.empty();
    }
}
