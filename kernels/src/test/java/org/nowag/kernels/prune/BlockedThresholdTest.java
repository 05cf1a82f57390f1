package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.norm.NoWagNormalizer;

/** Whole-matrix top-k found block by block (two histogram passes + per-block quotas) equals one whole-matrix call. */
class BlockedThresholdTest {

    /** What the Spark job does, in one JVM: histograms per block, summed; quotas in block order. */
    static float[] pruneInBlocks(PruneMethod method, double p, float[] w, int rows, int cols, float[] s, int[] blockRows) {
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        float[] c = NoWagNormalizer.columnNorms(sums);
        long k = SparsityPattern.unstructured(p, SparsityPattern.Group.MATRIX).keptPerGroup((long) rows * cols);
        float[][] blocks = new float[blockRows.length][];
        for (int b = 0, start = 0; b < blockRows.length; start += blockRows[b], b++) {
            blocks[b] = java.util.Arrays.copyOfRange(w, start * cols, (start + blockRows[b]) * cols);
        }
        float[] out = new float[w.length];
        if (k == 0) return out;
        long[] high = new long[BlockedThreshold.HIGH_BINS];
        for (int b = 0; b < blocks.length; b++) {
            BlockedThreshold.add(high, BlockedThreshold.highHistogram(Pruner.blockScores(method, blocks[b], blockRows[b], cols, c, s)));
        }
        BlockedThreshold.Cut cut = BlockedThreshold.cut(high, k);
        long[] low = new long[BlockedThreshold.LOW_BINS];
        long[][] lowPerBlock = new long[blocks.length][];
        for (int b = 0; b < blocks.length; b++) {
            lowPerBlock[b] = BlockedThreshold.lowHistogram(Pruner.blockScores(method, blocks[b], blockRows[b], cols, c, s), cut.bin);
            BlockedThreshold.add(low, lowPerBlock[b]);
        }
        BlockedThreshold.Threshold t = BlockedThreshold.threshold(cut, low, k);
        long remaining = t.equalToKeep;
        for (int b = 0, start = 0; b < blocks.length; start += blockRows[b], b++) {
            long equalHere = lowPerBlock[b][t.key & (BlockedThreshold.LOW_BINS - 1)];
            long quota = Math.min(equalHere, remaining);
            remaining -= quota;
            float[] pruned = Pruner.pruneAbove(method, blocks[b], blockRows[b], cols, c, s, t.key, quota).pruned;
            System.arraycopy(pruned, 0, out, start * cols, pruned.length);
        }
        assertEquals(0, remaining, "every tied score the whole matrix keeps is placed in some block");
        return out;
    }

    static int[] randomSplit(Random random, int rows) {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (int left = rows; left > 0; ) {
            int n = 1 + random.nextInt(Math.min(left, 5));
            sizes.add(n);
            left -= n;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void blockedSelectionEqualsWholeMatrixSelectionForEveryMethodAndSparsity() {
        Random random = new Random(11);
        for (int trial = 0; trial < 30; trial++) {
            int rows = 1 + random.nextInt(17);
            int cols = 1 + random.nextInt(19);
            float[] w = new float[rows * cols];
            boolean ties = trial % 3 == 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = ties ? (random.nextInt(5) - 2) * 0.5f + (random.nextInt(5) == 0 ? 0f : 0.25f)
                        : (float) random.nextGaussian();
            }
            float[] s = null;
            if (trial % 2 == 0) {
                s = new float[cols];
                for (int j = 0; j < cols; j++) s[j] = ties ? random.nextInt(3) : (float) Math.exp(random.nextGaussian());
            }
            double[] sums = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
            float[] c = NoWagNormalizer.columnNorms(sums);
            for (PruneMethod method : PruneMethod.values()) {
                for (double p : new double[]{0.25, 0.5, 0.7, 0.99}) {
                    SparsityPattern whole = SparsityPattern.unstructured(p, SparsityPattern.Group.MATRIX);
                    float[] expected = Pruner.prune(method, whole, w, rows, cols, c, s).pruned;
                    float[] got = pruneInBlocks(method, p, w, rows, cols, s, randomSplit(random, rows));
                    assertArrayEquals(expected, got, method + " p=" + p + " trial " + trial + " " + rows + "x" + cols);
                }
            }
        }
    }

    @Test
    void histogramsCountEveryScoreOnceAndTheCutFindsTheKthLargest() {
        float[] scores = {0f, 1f, 1f, 2f, 3f, 3f, 3f, 0.5f};
        long[] high = BlockedThreshold.highHistogram(scores);
        assertEquals(scores.length, java.util.Arrays.stream(high).sum());
        for (long k = 1; k <= scores.length; k++) {
            BlockedThreshold.Cut cut = BlockedThreshold.cut(high, k);
            BlockedThreshold.Threshold t = BlockedThreshold.threshold(cut, BlockedThreshold.lowHistogram(scores, cut.bin), k);
            float[] sorted = scores.clone();
            java.util.Arrays.sort(sorted);
            float kth = sorted[scores.length - (int) k];
            assertEquals(TopKSelector.key(kth), t.key, "k=" + k);
            long above = java.util.Arrays.stream(toDoubles(scores)).filter(v -> v > kth).count();
            assertEquals(k - above, t.equalToKeep, "k=" + k);
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
