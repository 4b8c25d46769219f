package org.cxrworkbook.image;

import java.util.Arrays;

/**
 * A float32 image in channel-major (CHW) order, the layout of one example of the model input.
 *
 * <p>The array is shared, not copied: operations such as {@link Standardizer#apply} work in place.
 */
public record Pixels(int channels, int height, int width, float[] data) {

    public Pixels {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width);
        }
        if (data.length != (long) channels * height * width) {
            throw new IllegalArgumentException("data length " + data.length + " != " + channels + "x" + height + "x" + width);
        }
    }

    /** A single-channel image wrapping the given row-major array. */
    public static Pixels grey(int height, int width, float[] data) {
        return new Pixels(1, height, width, data);
    }

    /** Number of pixels in one channel. */
    public int plane() {
        return height * width;
    }

    /** A deep copy. */
    public Pixels copy() {
        return new Pixels(channels, height, width, data.clone());
    }

    /** Channel 0 repeated {@code n} times (n = 3 gives the RGB-shaped input ImageNet models expect). */
    public Pixels replicate(int n) {
        if (n == channels) {
            return copy();
        }
        float[] out = new float[n * plane()];
        for (int c = 0; c < n; c++) {
            System.arraycopy(data, 0, out, c * plane(), plane());
        }
        return new Pixels(n, height, width, out);
    }

    /** The values of one channel (a copy). */
    public float[] channel(int c) {
        return Arrays.copyOfRange(data, c * plane(), (c + 1) * plane());
    }
}
