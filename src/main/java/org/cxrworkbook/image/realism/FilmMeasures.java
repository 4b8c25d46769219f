package org.cxrworkbook.image.realism;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * The realism measures of one square grey film (values 0..255): intensity histograms (whole image and
 * lungs), power-spectrum slope, 10–90 % rise width of the lung borders, lung texture and the mid-lung
 * horizontal profile. Every length is in pixels of the analysis size.
 */
public record FilmMeasures(String name, int size, double[] histogram, double[] lungHistogram, double spectrumSlope,
                           double medialEdgeWidth, double lateralEdgeWidth, double lungLocalSd, double[] profile,
                           double lungFraction) {

    /** Histogram bins over 0..255. */
    public static final int BINS = 64;
    /** Points of the mid-lung profile across the image width. */
    public static final int PROFILE_POINTS = 64;
    /** Spectrum fit range, cycles per pixel: the mid frequencies. */
    public static final double LOW_FREQ = 0.03;
    /** Upper end of the spectrum fit range, cycles per pixel. */
    public static final double HIGH_FREQ = 0.25;

    /** Measures one film; {@code n} must be a power of two (the FFT needs it). */
    public static FilmMeasures of(String name, float[] img, int n) {
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("analysis size must be a power of two, got " + n);
        }
        LungMask.Mask mask = LungMask.of(img, n);
        double[] hist = histogram(img, null);
        double[] lungHist = histogram(img, mask.lung());
        double slope = spectrumSlope(img, n);
        double[] edges = edgeWidths(img, mask);
        double sd = lungLocalSd(img, mask);
        double[] profile = profile(img, mask);
        return new FilmMeasures(name, n, hist, lungHist, slope, edges[0], edges[1], sd, profile,
                mask.area() / (double) (n * n));
    }

    static double[] histogram(float[] img, boolean[] where) {
        double[] h = new double[BINS];
        int count = 0;
        for (int i = 0; i < img.length; i++) {
            if (where != null && !where[i]) {
                continue;
            }
            int b = (int) (Math.max(0, Math.min(255.999, img[i])) * BINS / 256);
            h[b]++;
            count++;
        }
        for (int i = 0; i < BINS && count > 0; i++) {
            h[i] /= count;
        }
        return h;
    }

    /**
     * Slope of log10(radially averaged power) against log10(frequency) over {@link #LOW_FREQ}..{@link #HIGH_FREQ}
     * cycles per pixel, after removing the mean and applying a Hann window (Commons Math FFT, rows then columns).
     */
    static double spectrumSlope(float[] img, int n) {
        double mean = 0;
        for (float v : img) {
            mean += v;
        }
        mean /= img.length;
        double[] hann = new double[n];
        for (int i = 0; i < n; i++) {
            hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
        }
        FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
        Complex[][] rows = new Complex[n][];
        for (int y = 0; y < n; y++) {
            double[] row = new double[n];
            for (int x = 0; x < n; x++) {
                row[x] = (img[y * n + x] - mean) * hann[x] * hann[y];
            }
            rows[y] = fft.transform(row, TransformType.FORWARD);
        }
        double[] power = new double[n / 2 + 1];
        int[] count = new int[n / 2 + 1];
        for (int x = 0; x < n; x++) {
            Complex[] col = new Complex[n];
            for (int y = 0; y < n; y++) {
                col[y] = rows[y][x];
            }
            Complex[] f = fft.transform(col, TransformType.FORWARD);
            int fx = x <= n / 2 ? x : x - n;
            for (int y = 0; y < n; y++) {
                int fy = y <= n / 2 ? y : y - n;
                int r = (int) Math.round(Math.sqrt(fx * fx + fy * fy));
                if (r <= n / 2) {
                    double a = f[y].abs();
                    power[r] += a * a;
                    count[r]++;
                }
            }
        }
        SimpleRegression fit = new SimpleRegression();
        for (int r = 1; r <= n / 2; r++) {
            double freq = r / (double) n;
            if (freq >= LOW_FREQ && freq <= HIGH_FREQ && power[r] > 0) {
                fit.addData(Math.log10(freq), Math.log10(power[r] / count[r]));
            }
        }
        return fit.getSlope();
    }

    /**
     * Median 10–90 % rise width (pixels) of the medial (mediastinum/heart) and lateral (chest wall and ribs)
     * lung borders, on horizontal profiles through the middle 60 % of each lung's height. A row counts only
     * where the border step exceeds 15 grey levels. NaN where no row qualifies.
     */
    static double[] edgeWidths(float[] img, LungMask.Mask mask) {
        int n = mask.size();
        int half = Math.max(6, n / 20);
        List<Double> medial = new ArrayList<>();
        List<Double> lateral = new ArrayList<>();
        List<int[]> comps = mask.components();
        for (int k = 0; k < comps.size(); k++) {
            int[] c = comps.get(k);
            boolean imageLeft = comps.size() == 1 ? (c[5] + c[6]) / 2 < n / 2 : k == 0;
            int y0 = c[3] + (int) (0.2 * (c[4] - c[3]));
            int y1 = c[3] + (int) (0.8 * (c[4] - c[3]));
            for (int y = y0; y <= y1; y++) {
                int left = -1;
                int right = -1;
                for (int x = c[5]; x <= c[6]; x++) {
                    if (mask.lung()[y * n + x]) {
                        if (left < 0) {
                            left = x;
                        }
                        right = x;
                    }
                }
                if (left < 0) {
                    continue;
                }
                // outward direction: from the lung across its border
                double wMed = imageLeft ? rise(img, n, y, right, +1, half) : rise(img, n, y, left, -1, half);
                double wLat = imageLeft ? rise(img, n, y, left, -1, half) : rise(img, n, y, right, +1, half);
                if (!Double.isNaN(wMed)) {
                    medial.add(wMed);
                }
                if (!Double.isNaN(wLat)) {
                    lateral.add(wLat);
                }
            }
        }
        return new double[] {median(medial), median(lateral)};
    }

    /** 10–90 % rise width of a profile from {@code half} px inside the lung to {@code half} px beyond its border. */
    private static double rise(float[] img, int n, int y, int border, int dir, int half) {
        int len = 2 * half + 1;
        double[] p = new double[len];
        for (int i = 0; i < len; i++) {
            int x = Math.max(0, Math.min(n - 1, border + dir * (i - half)));
            double s = 0;
            for (int dy = -1; dy <= 1; dy++) {
                int yy = Math.max(0, Math.min(n - 1, y + dy));
                s += img[yy * n + x];
            }
            p[i] = s / 3;
        }
        double low = (p[0] + p[1] + p[2]) / 3;
        double high = Double.NEGATIVE_INFINITY;
        for (int i = half; i < len; i++) {
            high = Math.max(high, p[i]);
        }
        if (high - low < 15) {
            return Double.NaN;
        }
        double t10 = low + 0.1 * (high - low);
        double t90 = low + 0.9 * (high - low);
        double x10 = Double.NaN;
        double x90 = Double.NaN;
        for (int i = 1; i < len; i++) {
            if (Double.isNaN(x10) && p[i] >= t10) {
                x10 = i - 1 + (t10 - p[i - 1]) / (p[i] - p[i - 1]);
            }
            if (Double.isNaN(x90) && p[i] >= t90) {
                x90 = i - 1 + (t90 - p[i - 1]) / (p[i] - p[i - 1]);
                break;
            }
        }
        return Double.isNaN(x10) || Double.isNaN(x90) ? Double.NaN : x90 - x10;
    }

    /** Median over lung pixels of the grey-level standard deviation in a (2r+1)² window, r = n/128 (5×5 at 256²). */
    static double lungLocalSd(float[] img, LungMask.Mask mask) {
        int n = mask.size();
        int r = Math.max(1, n / 128);
        float[] sq = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            sq[i] = img[i] * img[i];
        }
        float[] m = LungMask.boxBlur(img, n, r);
        float[] m2 = LungMask.boxBlur(sq, n, r);
        List<Double> sds = new ArrayList<>();
        for (int i = 0; i < img.length; i++) {
            if (mask.lung()[i]) {
                sds.add(Math.sqrt(Math.max(0, m2[i] - (double) m[i] * m[i])));
            }
        }
        return median(sds);
    }

    /** Mean grey level across the width at mid-lung height (rows within n/64 of the lungs' vertical middle). */
    static double[] profile(float[] img, LungMask.Mask mask) {
        int n = mask.size();
        int mid = mask.bottom() >= 0 ? (mask.top() + mask.bottom()) / 2 : n / 2;
        int band = Math.max(1, n / 64);
        double[] p = new double[PROFILE_POINTS];
        int per = n / PROFILE_POINTS;
        for (int y = mid - band; y <= mid + band; y++) {
            for (int x = 0; x < n; x++) {
                int k = Math.min(PROFILE_POINTS - 1, x / Math.max(1, per));
                p[k] += img[y * n + x];
            }
        }
        double each = (2 * band + 1) * Math.max(1, per);
        for (int k = 0; k < PROFILE_POINTS; k++) {
            p[k] /= each;
        }
        return p;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }
}
