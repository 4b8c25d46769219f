package org.cxrworkbook.data.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cxrworkbook.data.Finding;

/**
 * Difficulty proxy (run by hand, not a unit test): per-finding test AUC of an L2 logistic regression on
 * 32x32 thumbnails of phantom films, trained on the train_val list and scored on the test list.
 * Usage: java -cp target/classes:target/test-classes org.cxrworkbook.data.phantom.DifficultyProxy IMAGES SIZE THREADS
 * [RENDERER] (classic, the default, or attenuation).
 */
public final class DifficultyProxy {

    private static final int T = 32;

    public static void main(String[] args) throws Exception {
        int images = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Renderer renderer = args.length > 3 ? Renderer.parse(args[3]) : Renderer.CLASSIC;
        PhantomGenerator g = PhantomGenerator.builder().images(images).size(size).seed(42).progress(null).build();
        List<PlannedImage> plan = g.plan().images();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<double[]>> futures = new ArrayList<>();
        for (PlannedImage p : plan) {
            futures.add(pool.submit(() -> thumbnail(ChestRenderer.render(p, size, Site.A, 42, renderer).pixels(), size)));
        }
        double[][] x = new double[plan.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = futures.get(i).get();
        }
        pool.shutdown();
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (PlannedImage p : plan) {
            (p.split().equals("test") ? test : train).add(p.imageNumber());
        }
        standardise(x, train);
        double sum = 0;
        for (Finding f : Finding.values()) {
            double[] y = new double[x.length];
            for (PlannedImage p : plan) {
                y[p.imageNumber()] = p.findings().contains(f) ? 1 : 0;
            }
            double[] w = fit(x, y, train, 1e-2, 300);
            double auc = auc(x, y, w, test);
            sum += auc;
            long pos = test.stream().filter(i -> y[i] == 1).count();
            System.out.printf(Locale.ROOT, "%-20s test AUC %.3f (%d positives of %d)%n", f.label(), auc, pos, test.size());
        }
        System.out.printf(Locale.ROOT, "mean AUC %.3f (train %d, test %d images, %dx%d films, %s renderer)%n", sum / 14,
                train.size(), test.size(), size, size, renderer.optionName());
    }

    static double[] thumbnail(byte[] px, int size) {
        double[] t = new double[T * T];
        int f = size / T;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                t[(y / f) * T + x / f] += (px[y * size + x] & 0xFF) / 255.0 / (f * f);
            }
        }
        return t;
    }

    static void standardise(double[][] x, List<Integer> train) {
        for (int j = 0; j < T * T; j++) {
            double m = 0;
            double s = 0;
            for (int i : train) {
                m += x[i][j];
            }
            m /= train.size();
            for (int i : train) {
                s += (x[i][j] - m) * (x[i][j] - m);
            }
            s = Math.sqrt(s / train.size()) + 1e-6;
            for (double[] row : x) {
                row[j] = (row[j] - m) / s;
            }
        }
    }

    /** Full-batch gradient descent on the mean logistic loss + lambda/2 |w|^2 (bias unpenalised). */
    static double[] fit(double[][] x, double[] y, List<Integer> train, double lambda, int iterations) {
        int d = T * T;
        double[] w = new double[d + 1];
        double lr = 0.05;
        for (int it = 0; it < iterations; it++) {
            double[] grad = new double[d + 1];
            for (int i : train) {
                double z = w[d];
                for (int j = 0; j < d; j++) {
                    z += w[j] * x[i][j];
                }
                double err = 1 / (1 + Math.exp(-z)) - y[i];
                for (int j = 0; j < d; j++) {
                    grad[j] += err * x[i][j];
                }
                grad[d] += err;
            }
            for (int j = 0; j <= d; j++) {
                double reg = j < d ? lambda * w[j] : 0;
                w[j] -= lr * (grad[j] / train.size() + reg);
            }
        }
        return w;
    }

    /** Mann-Whitney AUC of the linear scores on the given images. */
    static double auc(double[][] x, double[] y, double[] w, List<Integer> idx) {
        int d = T * T;
        List<double[]> scored = new ArrayList<>();
        for (int i : idx) {
            double z = w[d];
            for (int j = 0; j < d; j++) {
                z += w[j] * x[i][j];
            }
            scored.add(new double[] {z, y[i]});
        }
        double pos = 0;
        double neg = 0;
        double wins = 0;
        for (double[] a : scored) {
            if (a[1] != 1) {
                continue;
            }
            pos++;
            for (double[] b : scored) {
                if (b[1] == 0) {
                    wins += a[0] > b[0] ? 1 : (a[0] == b[0] ? 0.5 : 0);
                }
            }
        }
        neg = scored.size() - pos;
        return wins / (pos * neg);
    }
}
