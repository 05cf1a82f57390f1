package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** X^T X accumulation: equals the plain double loops, and merged partitions equal one pass. */
class GramAccumulatorTest {

    static float[] rows(int tokens, int d, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[tokens * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * (1 + i % 3) * 10);
        return x;
    }

    static double[] slowGram(float[] x, int tokens, int d) {
        double[] g = new double[d * d];
        for (int t = 0; t < tokens; t++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) g[i * d + j] += (double) x[t * d + i] * x[t * d + j];
        return g;
    }

    @Test
    void diagonalAndFullEqualPlainDoubleLoops() {
        int d = 7;
        float[] x = rows(33, d, 1);
        GramAccumulator acc = new GramAccumulator(d, true);
        acc.add(x, 33, d);
        double[] expected = slowGram(x, 33, d);
        double[] full = acc.full();
        for (int i = 0; i < d * d; i++) assertEquals(expected[i], full[i], 1e-12 * Math.abs(expected[i]) + 1e-9);
        for (int j = 0; j < d; j++) assertEquals(expected[j * d + j], acc.diagonal()[j], 1e-12 * expected[j * d + j]);
        assertEquals(33, acc.tokens());
    }

    @Test
    void mergeOfPartitionsEqualsOnePass() {
        int d = 12;
        int[] chunkTokens = {5, 17, 1, 40, 9};
        float[][] chunks = new float[chunkTokens.length][];
        for (int c = 0; c < chunks.length; c++) chunks[c] = rows(chunkTokens[c], d, 10 + c);

        GramAccumulator onePass = new GramAccumulator(d, true);
        for (int c = 0; c < chunks.length; c++) onePass.add(chunks[c], chunkTokens[c], d);

        // partition A: chunks 0, 3; partition B: 1; partition C: 2, 4; merged in another order
        GramAccumulator a = new GramAccumulator(d, true);
        a.add(chunks[0], chunkTokens[0], d);
        a.add(chunks[3], chunkTokens[3], d);
        GramAccumulator b = new GramAccumulator(d, true);
        b.add(chunks[1], chunkTokens[1], d);
        GramAccumulator c = new GramAccumulator(d, true);
        c.add(chunks[4], chunkTokens[4], d);
        c.add(chunks[2], chunkTokens[2], d);
        GramAccumulator merged = new GramAccumulator(d, true).merge(c).merge(a).merge(b);

        assertEquals(onePass.tokens(), merged.tokens());
        double[] x = onePass.full();
        double[] y = merged.full();
        for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-12 * Math.abs(x[i]) + 1e-9);
        double[] dx = onePass.diagonal();
        double[] dy = merged.diagonal();
        for (int j = 0; j < d; j++) assertEquals(dx[j], dy[j], 1e-13 * dx[j]);
    }

    @Test
    void collectorSharesOneComputationAcrossNamesAndMergesLikeAccumulators() {
        int d = 5;
        float[] x1 = rows(4, d, 1);
        float[] x2 = rows(6, d, 2);
        StatisticsCollector one = new StatisticsCollector(false);
        one.onLinearInput("q", x1, 4, d);
        one.onLinearInput("k", x1, 4, d);
        one.onLinearInput("q", x2, 6, d);
        StatisticsCollector p1 = new StatisticsCollector(false);
        p1.onLinearInput("q", x1, 4, d);
        p1.onLinearInput("k", x1, 4, d);
        StatisticsCollector p2 = new StatisticsCollector(false);
        p2.onLinearInput("q", x2, 6, d);
        StatisticsCollector merged = new StatisticsCollector(false).merge(p2).merge(p1);
        assertArrayEquals(one.get("q").diagonal(), merged.get("q").diagonal(), 1e-9);
        assertArrayEquals(one.get("k").diagonal(), merged.get("k").diagonal(), 1e-9);
        assertEquals(10, merged.get("q").tokens());
        assertEquals(4, merged.get("k").tokens());
        assertNull(merged.get("q").full());
        double[] slow = slowGram(x1, 4, d);
        for (int j = 0; j < d; j++) assertEquals(slow[j * d + j], one.get("k").diagonal()[j], 1e-9);
        assertEquals(Arrays.asList("q", "k"), new ArrayList<>(one.accumulators().keySet()), "first-seen order");
    }

    @Test
    void mismatchedWidthsAreRefused() {
        GramAccumulator a = new GramAccumulator(3, false);
        assertThrows(IllegalArgumentException.class, () -> a.merge(new GramAccumulator(4, false)));
        assertThrows(IllegalArgumentException.class, () -> a.merge(new GramAccumulator(3, true)));
        assertThrows(IllegalArgumentException.class, () -> a.add(new float[7], 2, 3));
    }
}
