package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nowag.kernels.TestMatrices;

class KMeansPlusPlusTest {

    /**
     * The coordinate-major k-means++ gives exactly the centroids of the scalar loop it replaced (kept below), for
     * weighted and zero-weight coordinates, all subvectors or a sample with its own weight rows, and duplicates.
     */
    @ParameterizedTest(name = "seed {0}, n={1}, d={2}, groups={3}, k={4}, sample={5}")
    @CsvSource({
            "1, 500, 6, 5, 64, false",
            "2, 777, 3, 7, 100, false",
            "3, 400, 2, 4, 399, false",
            "4, 900, 6, 11, 50, true",
            "5, 64, 1, 3, 64, false",
            "6, 300, 4, 6, 32, true"})
    void equalsTheScalarLoopBitForBit(long seed, int n, int d, int groups, int k, boolean sample) {
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
        assertArrayEquals(scalar(data, d, weights, groups, index, k, seed),
                WeightedKMeans.kMeansPlusPlus(data, d, weights, groups, index, k, seed, 1));
    }

    /** The previous implementation: one weighted distance per subvector, d terms in t order, double. */
    static float[] scalar(float[] data, int d, float[] weights, int groups, int[] index, int k, long seed) {
        int n = data.length / d;
        Random rnd = new Random(seed);
        float[] codebook = new float[k * d];
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        int chosen = rnd.nextInt(n);
        System.arraycopy(data, chosen * d, codebook, 0, d);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int g = 0; g < n; g++) {
                int w0 = ((index == null ? g : index[g]) % groups) * d;
                double dist = 0;
                for (int t = 0; t < d; t++) {
                    double diff = (double) data[g * d + t] - (double) codebook[(c - 1) * d + t];
                    dist += weights[w0 + t] * diff * diff;
                }
                if (dist < minDist[g]) minDist[g] = dist;
                total += minDist[g];
            }
            chosen = total > 0 ? WeightedKMeans.sampleProportional(minDist, total, rnd.nextDouble() * total) : rnd.nextInt(n);
            System.arraycopy(data, chosen * d, codebook, c * d, d);
        }
        return codebook;
    }
}
