package org.cxrworkbook.explain;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Post-processing of class-activation maps, in the course's order: bilinear resize of the raw weighted sum to the
 * image size, then ReLU, then division by the maximum.
 *
 * <p>The order matters a little: ReLU before the resize (as Selvaraju et al. write it) and ReLU after the resize
 * (the course's {@code cv2.resize → np.maximum → / max}) differ only where an interpolated pixel mixes positive and
 * negative cells; we follow the course so that maps match its figures. Hand-written rather than an ND4J resize op
 * so the pixel-centre convention is exactly OpenCV's {@code INTER_LINEAR} (half-pixel centres, edge clamped).
 */
public final class Heatmaps {

    private Heatmaps() {
    }

    /** Σ_k weights[k]·activations[0, k, :, :] as a [h][w] array (activations NCHW, first example). */
    public static double[][] weightedSum(INDArray activations, double[] weights) {
        int k = (int) activations.size(1);
        int h = (int) activations.size(2);
        int w = (int) activations.size(3);
        if (weights.length != k) {
            throw new IllegalArgumentException(weights.length + " weights for " + k + " channels");
        }
        double[][] cam = new double[h][w];
        for (int c = 0; c < k; c++) {
            if (weights[c] == 0) {
                continue;
            }
            double[][] a = activations.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).toDoubleMatrix();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    cam[y][x] += weights[c] * a[y][x];
                }
            }
        }
        return cam;
    }

    /**
     * The course's post-processing: bilinear resize to {@code height × width}, ReLU, divide by the maximum. A map
     * with no positive value (e.g. a class whose gradient is zero everywhere) comes back all zeros, not NaN.
     */
    public static float[][] postProcess(double[][] cam, int height, int width) {
        double[][] r = resizeBilinear(cam, height, width);
        double max = 0;
        for (double[] row : r) {
            for (int x = 0; x < row.length; x++) {
                row[x] = Math.max(row[x], 0);
                max = Math.max(max, row[x]);
            }
        }
        float[][] out = new float[height][width];
        if (max > 0) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[y][x] = (float) (r[y][x] / max);
                }
            }
        }
        return out;
    }

    /** Bilinear resize with OpenCV {@code INTER_LINEAR} semantics: src = (dst + 0.5)·scale − 0.5, clamped at edges. */
    public static double[][] resizeBilinear(double[][] src, int height, int width) {
        int sh = src.length;
        int sw = src[0].length;
        double[][] out = new double[height][width];
        double sy = (double) sh / height;
        double sx = (double) sw / width;
        for (int y = 0; y < height; y++) {
            double fy = (y + 0.5) * sy - 0.5;
            int y0 = (int) Math.floor(fy);
            double dy = fy - y0;
            if (y0 < 0) {
                y0 = 0;
                dy = 0;
            }
            if (y0 >= sh - 1) {
                y0 = sh - 1;
                dy = 0;
            }
            int y1 = Math.min(y0 + 1, sh - 1);
            for (int x = 0; x < width; x++) {
                double fx = (x + 0.5) * sx - 0.5;
                int x0 = (int) Math.floor(fx);
                double dx = fx - x0;
                if (x0 < 0) {
                    x0 = 0;
                    dx = 0;
                }
                if (x0 >= sw - 1) {
                    x0 = sw - 1;
                    dx = 0;
                }
                int x1 = Math.min(x0 + 1, sw - 1);
                double top = src[y0][x0] * (1 - dx) + src[y0][x1] * dx;
                double bottom = src[y1][x0] * (1 - dx) + src[y1][x1] * dx;
                out[y][x] = top * (1 - dy) + bottom * dy;
            }
        }
        return out;
    }
}
