package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nowag.kernels.TestMatrices;
import org.nowag.kernels.simd.Simd;

/**
 * The fused assignment scan against two slow references: the exact (double) nearest centroid, which it must match
 * except where two centroids' distances lie within the float rounding of its expanded scores; and its own float
 * definition written out per centroid (s = a; s = fma(c_t, b_t, s)), which both the Vector API path and the scalar
 * path must match exactly, lowest index on ties, for any thread count.
 */
class NearestCentroidsTest {
    /** Unit roundoff of float. */
    private static final double U = Math.ulp(1.0f) / 2;

    @ParameterizedTest(name = "seed {0}: n={1}, d={2}, groups={3}, K={4}")
    @CsvSource({
            "1, 3000, 6, 64, 4096",
            "2, 2000, 6, 7, 1000",
            "3, 1500, 5, 9, 333",
            "4, 2500, 3, 4, 100",
            "5, 1000, 6, 1, 17"})
    void proposalsAreTheExactNearestCentroidExceptWithinFloatRounding(long seed, int n, int d, int groups, int k) {
        n = n / groups * groups;
        float[] data = TestMatrices.gaussian(n, d, seed);
        float[] codebook = TestMatrices.gaussian(k, d, seed + 100);
        float[] weights = TestMatrices.activations(groups * d, seed);
        int[] got = new NearestCentroids(codebook, k, d).propose(data, 0, n, weights, groups, 2);
        int nearTies = 0;
        for (int g = 0; g < n; g++) {
            int w0 = (g % groups) * d;
            int exact = 0;
            for (int c = 1; c < k; c++) {
                if (exactDistance(data, g, d, weights, w0, codebook, c) < exactDistance(data, g, d, weights, w0, codebook, exact)) {
                    exact = c;
                }
            }
            if (got[g] == exact) continue;
            double gap = exactDistance(data, g, d, weights, w0, codebook, got[g])
                    - exactDistance(data, g, d, weights, w0, codebook, exact);
            double rounding = scoreError(data, g, d, weights, w0, codebook, got[g])
                    + scoreError(data, g, d, weights, w0, codebook, exact);
            assertTrue(gap >= 0 && gap <= rounding, "subvector " + g + ": proposed " + got[g] + ", nearest " + exact
                    + ", distance gap " + gap + " exceeds the float rounding bound " + rounding);
            nearTies++;
        }
        // Rare: a float score has ~7 significant digits, so only near-equal distances can swap.
        assertTrue(nearTies <= n / 200, nearTies + " of " + n + " proposals were a near-tie away from the exact nearest");
    }

    @ParameterizedTest(name = "seed {0}: d={1}, K={2}, tied={3}")
    @CsvSource({
            "11, 6, 4096, false",
            "12, 6, 100, true",
            "13, 2, 97, true",
            "14, 4, 50, true",
            "15, 1, 40, true",
            "16, 7, 300, false"})
    void bothPathsComputeExactlyTheFloatScoresAndTakeTheLowestIndexOnTies(long seed, int d, int k, boolean tied) {
        int groups = 5;
        int rows = 41;  // odd: the last row of every unit is scanned as its own pair
        int n = rows * groups - 2;  // the last row is short: groups 3 and 4 have one row less
        float[] data = tied ? TestMatrices.tied(n, d, seed) : TestMatrices.gaussian(n, d, seed);
        float[] codebook = tied ? TestMatrices.tied(k, d, seed + 1) : TestMatrices.gaussian(k, d, seed + 1);
        if (!tied) System.arraycopy(codebook, 0, codebook, (k / 2) * d, d);  // one exact duplicate pair
        float[] weights = tied ? TestMatrices.tiedActivations(groups * d, seed) : TestMatrices.activations(groups * d, seed);
        int[] expected = new int[n];
        int ties = 0;
        for (int g = 0; g < n; g++) {
            float[] s = floatScores(data, g, d, weights, (g % groups) * d, codebook, k);
            int best = 0;
            for (int c = 1; c < k; c++) if (s[c] < s[best]) best = c;
            for (int c = best + 1; c < k; c++) if (s[c] == s[best]) ties++;
            expected[g] = best;
        }
        if (tied && d <= 2) assertTrue(ties > n, "the tied inputs must produce many equal scores, got " + ties);
        for (int threads : new int[] {1, 2, 5}) {
            assertArrayEquals(expected, new NearestCentroids(codebook, k, d, false).propose(data, 0, n, weights, groups, threads),
                    "scalar path, " + threads + " threads");
            assertArrayEquals(expected, new NearestCentroids(codebook, k, d, true).propose(data, 0, n, weights, groups, threads),
                    (Simd.ENABLED ? "vector" : "scalar") + " path, " + threads + " threads");
        }
    }

    @Test
    void aBlockStartingInsideTheMatrixGetsTheProposalsOfTheWholeMatrix() {
        int d = 6;
        int groups = 11;
        int n = 300 * groups;
        float[] data = TestMatrices.gaussian(n, d, 21);
        float[] codebook = TestMatrices.gaussian(500, d, 22);
        float[] weights = TestMatrices.activations(groups * d, 21);
        NearestCentroids nc = new NearestCentroids(codebook, 500, d);
        int[] whole = nc.propose(data, 0, n, weights, groups, 2);
        int from = 129 * groups;
        int to = 250 * groups;
        assertArrayEquals(Arrays.copyOfRange(whole, from, to), nc.propose(data, from, to, weights, groups, 3));
    }

    @Test
    void kMeansGivesTheSameResultBitForBitOnAnyThreadCount() {
        int d = 6;
        int groups = 13;
        int n = 700 * groups;
        float[] data = TestMatrices.gaussian(n, d, 31);
        float[] weights = TestMatrices.activations(groups * d, 31);
        KMeansResult one = WeightedKMeans.run(data, d, weights, groups, 256, 20, 31, 100 * groups, 5000, 1);
        for (int threads : new int[] {2, 3, 8}) {
            KMeansResult many = WeightedKMeans.run(data, d, weights, groups, 256, 20, 31, 100 * groups, 5000, threads);
            assertArrayEquals(one.codes, many.codes, threads + " threads: codes");
            assertArrayEquals(one.codebook, many.codebook, threads + " threads: codebook");
            assertArrayEquals(one.lossPerIteration, many.lossPerIteration, threads + " threads: losses");
            assertEquals(one.finalLoss, many.finalLoss, 0.0);
            assertEquals(one.iterations, many.iterations);
        }
        for (int it = 1; it < one.iterations; it++) {
            assertTrue(one.lossPerIteration[it] <= one.lossPerIteration[it - 1], "loss rose at iteration " + it);
        }
        for (int code : one.codes) assertTrue(code >= 0 && code < 256, "code " + code);
    }

    @Test
    void weightedSumsOverSeveralChunksAreTheSameOnAnyThreadCountAndEqualPlainSums() {
        int d = 2;
        int groups = 3;
        int n = WeightedKMeans.SUM_CHUNK * 2 + 12345;  // three chunks, the last one short
        float[] data = TestMatrices.gaussian(n, d, 41);
        float[] weights = TestMatrices.activations(groups * d, 41);
        float[] codebook = TestMatrices.gaussian(8, d, 42);
        int[] start = new int[n];
        Arrays.fill(start, -1);
        BlockedKMeans.Partial one = WeightedKMeans.assignAndSum(data, 0, n, d, weights, groups, codebook, 8, start.clone(), 1);
        for (int threads : new int[] {2, 3}) {
            int[] codes = start.clone();
            BlockedKMeans.Partial many = WeightedKMeans.assignAndSum(data, 0, n, d, weights, groups, codebook, 8, codes, threads);
            assertArrayEquals(one.numerator, many.numerator, threads + " threads: numerators");
            assertArrayEquals(one.denominator, many.denominator, threads + " threads: denominators");
            assertEquals(one.loss, many.loss, 0.0);
            double[] num = new double[8 * d];
            double[] den = new double[8 * d];
            for (int g = 0; g < n; g++) {
                for (int t = 0; t < d; t++) {
                    num[codes[g] * d + t] += (double) weights[(g % groups) * d + t] * data[g * d + t];
                    den[codes[g] * d + t] += weights[(g % groups) * d + t];
                }
            }
            for (int i = 0; i < num.length; i++) {
                assertEquals(num[i], many.numerator[i], 1e-9 * Math.abs(den[i]), "numerator " + i);
                assertEquals(den[i], many.denominator[i], 1e-9 * den[i], "denominator " + i);
            }
        }
    }

    /** The kernel's float definition, one centroid at a time: a = sum (w c) c by fma, then s = a + sum b_t c_t by fma. */
    static float[] floatScores(float[] data, int g, int d, float[] weights, int w0, float[] codebook, int k) {
        float[] s = new float[k];
        for (int c = 0; c < k; c++) {
            float a = 0f;
            for (int t = 0; t < d; t++) {
                float x = codebook[c * d + t];
                a = Math.fma(weights[w0 + t] * x, x, a);
            }
            float score = a;
            for (int t = 0; t < d; t++) {
                float b = (-2f * weights[w0 + t]) * data[g * d + t];
                score = Math.fma(codebook[c * d + t], b, score);
            }
            s[c] = score;
        }
        return s;
    }

    static double exactDistance(float[] data, int g, int d, float[] weights, int w0, float[] codebook, int c) {
        double sum = 0;
        for (int t = 0; t < d; t++) {
            double diff = (double) data[g * d + t] - codebook[c * d + t];
            sum += weights[w0 + t] * diff * diff;
        }
        return sum;
    }

    /**
     * A bound on |float score - exact score| for centroid c: the score is d + 1 roundings of a sum whose terms
     * (a's d products and the d products b_t c_t, with b itself rounded) are at most the sum of their magnitudes.
     */
    static double scoreError(float[] data, int g, int d, float[] weights, int w0, float[] codebook, int c) {
        double magnitude = 0;
        for (int t = 0; t < d; t++) {
            double x = codebook[c * d + t];
            magnitude += weights[w0 + t] * x * x + Math.abs(2.0 * weights[w0 + t] * data[g * d + t] * x);
        }
        int roundings = 2 * d + 3;
        return roundings * U / (1 - roundings * U) * magnitude;
    }
}
