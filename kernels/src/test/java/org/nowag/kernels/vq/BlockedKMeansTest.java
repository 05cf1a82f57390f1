package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.TestMatrices;

class BlockedKMeansTest {

    /**
     * What executors do: each block lives in its own array (index 0 = the block's first subvector), the driver only
     * sees the partials; the result must equal run() with the same block size bit for bit.
     */
    @ParameterizedTest(name = "seed {0}, rows {1}, groups {2}, block {3}, sample {4}")
    @CsvSource({
            "1, 50, 4, 28, 262144",
            "2, 37, 5, 5, 262144",
            "3, 64, 3, 1000, 262144",
            "4, 80, 4, 40, 100"})
    void blocksInSeparateArraysGiveExactlyTheResultOfOneRun(long seed, int rows, int groups, int block, int sample) {
        int d = 3;
        int k = 16;
        int n = rows * groups;
        float[] data = TestMatrices.gaussian(n, d, seed);
        float[] weights = TestMatrices.tiedActivations(groups * d, seed);
        KMeansResult expected = WeightedKMeans.run(data, d, weights, groups, k, 50, seed, block, sample, 1);

        int len = WeightedKMeans.blockLength(groups, block);
        int[] idx = WeightedKMeans.initSample(n, k, sample, seed);
        float[] init = idx == null ? WeightedKMeans.kMeansPlusPlus(data, d, weights, groups, null, k, seed, 1)
                : WeightedKMeans.kMeansPlusPlus(WeightedKMeans.gather(data, d, idx), d, weights, groups, idx, k, seed, 1);
        List<float[]> blocks = new ArrayList<>();
        List<int[]> codes = new ArrayList<>();
        for (int from = 0; from < n; from += len) {
            int to = Math.min(n, from + len);
            blocks.add(Arrays.copyOfRange(data, from * d, to * d));
            int[] c = new int[to - from];
            Arrays.fill(c, -1);
            codes.add(c);
        }
        BlockedKMeans km = new BlockedKMeans(init, k, d, 50);
        while (!km.done()) {
            List<BlockedKMeans.Partial> partials = new ArrayList<>();
            for (int b = 0; b < blocks.size(); b++) {
                float[] local = blocks.get(b);
                partials.add(WeightedKMeans.assignAndSum(local, 0, local.length / d, d, weights, groups, km.codebook(), k,
                        codes.get(b), 1));
            }
            km.step(partials);
        }
        int[] all = new int[n];
        double finalLoss = 0;
        for (int b = 0, o = 0; b < blocks.size(); b++) {
            System.arraycopy(codes.get(b), 0, all, o, codes.get(b).length);
            o += codes.get(b).length;
            finalLoss += WeightedKMeans.loss(blocks.get(b), d, weights, groups, codes.get(b), km.codebook());
        }
        KMeansResult got = km.result(all, finalLoss);
        assertArrayEquals(expected.codes, got.codes);
        assertArrayEquals(expected.codebook, got.codebook);
        assertArrayEquals(expected.lossPerIteration, got.lossPerIteration);
        assertEquals(expected.finalLoss, got.finalLoss, 0.0);
        assertEquals(expected.iterations, got.iterations);
    }

    @Test
    void theInitSampleIsAllWhenSmallElseSortedDistinctAndSeeded() {
        assertNull(WeightedKMeans.initSample(100, 8, 100, 1));
        assertNull(WeightedKMeans.initSample(100, 200, 50, 1), "never fewer than k subvectors to draw from");
        int[] a = WeightedKMeans.initSample(10_000, 8, 500, 3);
        assertEquals(500, a.length);
        for (int i = 1; i < a.length; i++) assertTrue(a[i] > a[i - 1], "increasing, distinct");
        assertTrue(a[0] >= 0 && a[a.length - 1] < 10_000);
        assertTrue(a[a.length - 1] > 9_000 && a[0] < 1_000, "spread over the whole range");
        assertArrayEquals(a, WeightedKMeans.initSample(10_000, 8, 500, 3), "seeded");
    }

    @Test
    void withTheDefaultSampleASmallMatrixUsesTheWholeDataLikeBefore() {
        float[] data = TestMatrices.gaussian(300, 6, 5);
        float[] weights = TestMatrices.activations(30, 5);
        KMeansResult r = WeightedKMeans.run(data, 6, weights, 5, 16, 40, 5);
        SlowKMeans slow = new SlowKMeans(data, 6, weights, 5, 16, 40, 5);
        assertArrayEquals(slow.codes, r.codes);
    }
}
