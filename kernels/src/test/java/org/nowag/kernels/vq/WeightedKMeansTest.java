package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;

class WeightedKMeansTest {

    @ParameterizedTest(name = "seed {0}, n={1}, d={2}, groups={3}, k={4}, weighted={5}")
    @CsvSource({
            "1, 240, 3, 4, 8, true",
            "2, 300, 6, 5, 16, true",
            "3, 200, 2, 10, 12, false",
            "4, 512, 4, 8, 32, true",
            "5, 90, 6, 3, 64, true"})
    void gemmKernelEqualsSlowReferenceForTheSameSeed(long seed, int n, int d, int groups, int k, boolean weighted) {
        float[] data = TestMatrices.gaussian(n, d, seed);
        float[] weights = weighted ? TestMatrices.activations(groups * d, seed) : ones(groups * d);
        KMeansResult fast = WeightedKMeans.run(data, d, weights, groups, k, 100, seed);
        SlowKMeans slow = new SlowKMeans(data, d, weights, groups, k, 100, seed);
        assertArrayEquals(slow.codes, fast.codes, "codes");
        assertEquals(slow.codebook.length, fast.codebook.length);
        for (int i = 0; i < slow.codebook.length; i++) {
            assertEquals(slow.codebook[i], fast.codebook[i], 1e-5, "codebook[" + i + "]");
        }
        assertEquals(slow.losses.length, fast.iterations, "iterations");
        for (int it = 0; it < slow.losses.length; it++) {
            assertEquals(slow.losses[it], fast.lossPerIteration[it], 1e-9 * Math.max(1, slow.losses[it]), "loss " + it);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"11", "12", "13", "14"})
    void everyCodeIsInRangeAndTheLossNeverIncreases(long seed) {
        int d = 4;
        int groups = 6;
        float[] data = TestMatrices.gaussian(600, d, seed);
        float[] weights = TestMatrices.tiedActivations(groups * d, seed);  // zeros included: zero-weight coordinates
        KMeansResult r = WeightedKMeans.run(data, d, weights, groups, 32, 100, seed);
        for (int code : r.codes) assertTrue(code >= 0 && code < 32, "code " + code);
        assertTrue(r.iterations >= 2, "ran at least two assignments");
        for (int it = 1; it < r.iterations; it++) {
            assertTrue(r.lossPerIteration[it] <= r.lossPerIteration[it - 1],
                    "loss rose at iteration " + it + ": " + r.lossPerIteration[it - 1] + " -> " + r.lossPerIteration[it]);
        }
        assertTrue(r.finalLoss <= r.lossPerIteration[r.iterations - 1]);
        assertEquals(WeightedKMeans.loss(data, d, weights, groups, r.codes, r.codebook), r.finalLoss, 0.0);
    }

    @Test
    void sameSeedGivesTheSameResultAndAnotherSeedAnotherOne() {
        float[] data = TestMatrices.gaussian(400, 3, 7);
        float[] w = TestMatrices.activations(15, 7);
        KMeansResult a = WeightedKMeans.run(data, 3, w, 5, 16, 100, 42);
        KMeansResult b = WeightedKMeans.run(data, 3, w, 5, 16, 100, 42);
        KMeansResult c = WeightedKMeans.run(data, 3, w, 5, 16, 100, 43);
        assertArrayEquals(a.codes, b.codes);
        assertArrayEquals(a.codebook, b.codebook);
        assertTrue(!java.util.Arrays.equals(a.codebook, c.codebook), "a different seed picks different centroids");
    }

    @Test
    void fewerSubvectorsThanCentroidsGivesOneCentroidPerSubvectorAndZeroLoss() {
        float[] data = TestMatrices.gaussian(10, 6, 3);
        KMeansResult r = WeightedKMeans.run(data, 6, ones(6), 1, 4096, 100, 1);
        assertEquals(10, r.k);
        assertEquals(60, r.codebook.length);
        assertEquals(0.0, r.finalLoss, 0.0);
    }

    @Test
    void iterationLimitIsRespected() {
        float[] data = TestMatrices.gaussian(2000, 2, 9);
        KMeansResult r = WeightedKMeans.run(data, 2, ones(2), 1, 64, 3, 9);
        assertEquals(3, r.iterations);
        assertEquals(3, r.lossPerIteration.length);
    }

    @Test
    void badArgumentsAreRefusedWithTheirName() {
        float[] data = TestMatrices.gaussian(10, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> WeightedKMeans.run(data, 4, ones(4), 1, 2, 10, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightedKMeans.run(data, 3, new float[] {1, -1, 1}, 1, 2, 10, 0));
        assertTrue(e.getMessage().contains("weights[1]"), e.getMessage());
        data[4] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> WeightedKMeans.run(data, 3, ones(3), 1, 2, 10, 0));
        assertTrue(e.getMessage().contains("data[4]"), e.getMessage());
    }

    static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
