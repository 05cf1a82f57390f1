package org.nowag.kernels.vq;

import java.util.Random;

/**
 * Weighted k-means written the obvious way: every distance computed directly, every minimum by a full scan, every
 * centroid by a scan over all subvectors. Same rules as the kernel (k-means++ with java.util.Random(seed), move only
 * on a strict improvement, weighted mean, empty clusters keep their centroid), none of its GEMM shortcuts.
 */
final class SlowKMeans {
    int[] codes;
    float[] codebook;
    double[] losses;

    SlowKMeans(float[] data, int d, float[] weights, int groups, int k, int maxIterations, long seed) {
        int n = data.length / d;
        k = Math.min(k, n);
        Random rnd = new Random(seed);
        codebook = new float[k * d];
        int first = rnd.nextInt(n);
        copy(data, first, codebook, 0, d);
        for (int c = 1; c < k; c++) {
            double[] dist = new double[n];
            double total = 0;
            for (int g = 0; g < n; g++) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = 0; j < c; j++) best = Math.min(best, dist(data, g, d, weights, groups, codebook, j));
                dist[g] = best;
                total += best;
            }
            int chosen;
            if (total > 0) {
                double u = rnd.nextDouble() * total;
                double cum = 0;
                chosen = -1;
                for (int g = 0; g < n; g++) {
                    if (dist[g] > 0) {
                        chosen = g;
                        cum += dist[g];
                        if (cum > u) break;
                    }
                }
            } else {
                chosen = rnd.nextInt(n);
            }
            copy(data, chosen, codebook, c, d);
        }
        codes = new int[n];
        java.util.Arrays.fill(codes, -1);
        double[] history = new double[maxIterations];
        int iterations = 0;
        for (int it = 0; it < maxIterations; it++) {
            int changed = 0;
            double loss = 0;
            for (int g = 0; g < n; g++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (dist(data, g, d, weights, groups, codebook, j) < dist(data, g, d, weights, groups, codebook, best)) best = j;
                }
                double bestDist = dist(data, g, d, weights, groups, codebook, best);
                if (codes[g] < 0 || bestDist < dist(data, g, d, weights, groups, codebook, codes[g])) {
                    if (codes[g] != best) changed++;
                    codes[g] = best;
                }
                loss += dist(data, g, d, weights, groups, codebook, codes[g]);
            }
            history[it] = loss;
            iterations = it + 1;
            if (it > 0 && changed == 0) break;
            for (int j = 0; j < k; j++) {
                for (int t = 0; t < d; t++) {
                    double num = 0;
                    double den = 0;
                    for (int g = 0; g < n; g++) {
                        if (codes[g] == j) {
                            double w = weights[(g % groups) * d + t];
                            num += w * data[g * d + t];
                            den += w;
                        }
                    }
                    if (den > 0) codebook[j * d + t] = (float) (num / den);
                }
            }
        }
        losses = java.util.Arrays.copyOf(history, iterations);
    }

    private static void copy(float[] data, int g, float[] codebook, int c, int d) {
        for (int t = 0; t < d; t++) codebook[c * d + t] = data[g * d + t];
    }

    private static double dist(float[] data, int g, int d, float[] weights, int groups, float[] codebook, int c) {
        double sum = 0;
        for (int t = 0; t < d; t++) {
            double diff = (double) data[g * d + t] - (double) codebook[c * d + t];
            sum += weights[(g % groups) * d + t] * diff * diff;
        }
        return sum;
    }
}
