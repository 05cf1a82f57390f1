package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nowag.kernels.TestMatrices;

class KMeansPlusPlusTest {

    /**
     * The chunked, threaded k-means++ gives exactly the centroids of the plain loop below, for weighted and
     * zero-weight coordinates, all subvectors or a sample with its own weight rows, duplicates, and on any thread
     * count. Up to 4096 subvectors (one chunk) that loop is the sequential one of the earlier kernels, so their
     * centroids are unchanged; above, the total is the sum of chunk sums (a changed rounding, a fixed order).
     */
    @ParameterizedTest(name = "seed {0}, n={1}, d={2}, groups={3}, k={4}, sample={5}, threads={6}")
    @CsvSource({
            "1, 500, 6, 5, 64, false, 1",
            "2, 777, 3, 7, 100, false, 2",
            "3, 400, 2, 4, 399, false, 1",
            "4, 900, 6, 11, 50, true, 3",
            "5, 64, 1, 3, 64, false, 1",
            "6, 300, 4, 6, 32, true, 2",
            "7, 20000, 6, 13, 300, false, 1",
            "7, 20000, 6, 13, 300, false, 3",
            "8, 9000, 5, 7, 64, true, 2"})
    void equalsThePlainLoopBitForBit(long seed, int n, int d, int groups, int k, boolean sample, int threads) {
        float[] data = TestMatrices.gaussian(n, d, seed);
        if (seed == 5) for (int i = 0; i < data.length; i += 3) data[i] = 0.5f;  // many equal subvectors
        float[] weights = TestMatrices.tiedActivations(groups * d, seed);  // includes zeros
        int[] index = null;
        if (sample) {
            index = new int[n];
            Random r = new Random(seed);
            for (int i = 0, g = 0; i < n; i++) {
                g += 1 + r.nextInt(3);
                index[i] = g;
            }
        }
        assertArrayEquals(plain(data, d, weights, groups, index, k, seed),
                WeightedKMeans.kMeansPlusPlus(data, d, weights, groups, index, k, seed, threads));
    }

    /**
     * One weighted distance per subvector, d terms in t order, double; D^2 summed per chunk of 4096 subvectors in
     * order, the chunk sums in order; the draw walks chunk sums, then the chosen chunk's subvectors.
     */
    static float[] plain(float[] data, int d, float[] weights, int groups, int[] index, int k, long seed) {
        int chunk = 4096;
        int n = data.length / d;
        Random rnd = new Random(seed);
        float[] codebook = new float[k * d];
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        int chosen = rnd.nextInt(n);
        System.arraycopy(data, chosen * d, codebook, 0, d);
        for (int c = 1; c < k; c++) {
            double[] chunkSum = new double[(n + chunk - 1) / chunk];
            for (int g = 0; g < n; g++) {
                int w0 = ((index == null ? g : index[g]) % groups) * d;
                double dist = 0;
                for (int t = 0; t < d; t++) {
                    double diff = (double) data[g * d + t] - (double) codebook[(c - 1) * d + t];
                    dist += weights[w0 + t] * diff * diff;
                }
                if (dist < minDist[g]) minDist[g] = dist;
                chunkSum[g / chunk] += minDist[g];
            }
            double total = 0;
            for (double s : chunkSum) total += s;
            if (total > 0) {
                double u = rnd.nextDouble() * total;
                double cum = 0;
                int at = -1;
                double before = 0;
                for (int ch = 0; ch < chunkSum.length; ch++) {
                    if (chunkSum[ch] <= 0) continue;
                    at = ch;
                    before = cum;
                    if (cum + chunkSum[ch] > u) break;
                    cum += chunkSum[ch];
                }
                cum = before;
                chosen = -1;
                for (int g = at * chunk; g < Math.min(n, (at + 1) * chunk); g++) {
                    if (minDist[g] > 0) {
                        chosen = g;
                        cum += minDist[g];
                        if (cum > u) break;
                    }
                }
            } else {
                chosen = rnd.nextInt(n);
            }
            System.arraycopy(data, chosen * d, codebook, c * d, d);
        }
        return codebook;
    }
}
