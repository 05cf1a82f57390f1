package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The radix select keeps the same k elements as a full sort by (score desc, index asc), whatever the ties. */
class TopKSelectorTest {

    private static BitSet toBitSet(long[] words) {
        return BitSet.valueOf(words);
    }

    private static BitSet reference(float[] scores, int from, int to, int k) {
        BitSet keep = new BitSet();
        SlowReference.keepTopK(scores, SlowReference.range(from, to), k, keep);
        return keep;
    }

    private static float[] scores(int n, int distinct, long seed) {
        Random rnd = new Random(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            int v = rnd.nextInt(distinct);
            switch (v % 7) {
                case 0:
                    s[i] = 0f;
                    break;
                case 1:
                    s[i] = -0.0f; // must rank equal to +0
                    break;
                case 2:
                    s[i] = Float.MIN_VALUE * (1 + v);
                    break;
                case 3:
                    s[i] = v == 3 ? Float.POSITIVE_INFINITY : v * 1e30f;
                    break;
                default:
                    s[i] = distinct > 1000 ? rnd.nextFloat() * 100 : v * 0.125f;
            }
        }
        return s;
    }

    /** What the pruner's fused assemble keeps from a cut: above the threshold, then the first ties while need lasts. */
    private static BitSet keptByCut(float[] s, int from, int to, long cut) {
        BitSet keep = new BitSet();
        int threshold = (int) (cut >>> 32);
        int need = (int) cut;
        for (int i = from; i < to; i++) {
            int key = TopKSelector.key(s[i]);
            if (key > threshold || (key == threshold && need-- > 0)) keep.set(i);
        }
        return keep;
    }

    @Test
    void aCutKeepsWhatKeepTopKMarksForSmallAndLargeGroups() {
        for (int n : new int[] {1, 4, 8, 32, 33, 100, 5000}) {
            for (int distinct : new int[] {1, 2, 10, 100000}) {
                float[] s = scores(n + 10, distinct, n * 13L + distinct);
                for (int k : new int[] {0, 1, n / 3, n / 2, n - 1, n}) {
                    long[] words = new long[(n + 10 + 63) / 64];
                    new TopKSelector().keepTopK(s, 5, 5 + n, k, words);
                    long cut = new TopKSelector(64).cut(s, 5, 5 + n, k);
                    assertEquals(toBitSet(words), keptByCut(s, 5, 5 + n, cut), "n=" + n + " distinct=" + distinct + " k=" + k);
                    assertEquals(toBitSet(words), keptByCut(s, 5, 5 + n, new TopKSelector().cut(s, 5, 5 + n, k)));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new TopKSelector().cut(new float[4], 0, 4, 5));
    }

    @Test
    void radixSelectEqualsSortOnRandomAndHeavilyTiedScores() {
        for (int n : new int[] {33, 100, 1000, 5000}) {
            for (int distinct : new int[] {1, 2, 10, 100000}) {
                float[] s = scores(n, distinct, n * 7L + distinct);
                for (int k : new int[] {0, 1, 2, n / 3, n / 2, n - 1, n}) {
                    long[] words = new long[(n + 63) / 64];
                    new TopKSelector().keepTopK(s, 0, n, k, words);
                    assertEquals(reference(s, 0, n, k), toBitSet(words), "n=" + n + " distinct=" + distinct + " k=" + k);
                }
            }
        }
    }

    @Test
    void twoPassLargeGroupPathEqualsSort() {
        // The 16 + 15 bit path normally starts at 2^20 elements; a low threshold runs it on small inputs.
        TopKSelector largePath = new TopKSelector(64);
        for (int n : new int[] {64, 1000, 20000}) {
            for (int distinct : new int[] {1, 3, 100000}) {
                float[] s = scores(n, distinct, n * 13L + distinct);
                for (int k : new int[] {1, n / 4, n / 2, n - 1, n}) {
                    long[] words = new long[(n + 63) / 64];
                    largePath.keepTopK(s, 0, n, k, words);
                    assertEquals(reference(s, 0, n, k), toBitSet(words), "n=" + n + " distinct=" + distinct + " k=" + k);
                }
            }
        }
    }

    @Test
    void nOfEveryMEqualsSortForAnyMAndOffset() {
        for (int m : new int[] {2, 3, 4, 5, 8, 16}) {
            for (int from : new int[] {0, 1, 4, 61}) {
                int groups = 40;
                float[] s = scores(from + groups * m, 4, m * 100L + from);
                for (int n = 1; n < m; n++) {
                    long[] words = new long[(s.length + 63) / 64];
                    TopKSelector.keepNOfEveryM(s, from, from + groups * m, n, m, words);
                    BitSet expected = new BitSet();
                    for (int g = from; g < from + groups * m; g += m) {
                        SlowReference.keepTopK(s, SlowReference.range(g, g + m), n, expected);
                    }
                    assertEquals(expected, toBitSet(words), n + ":" + m + " from " + from);
                }
            }
        }
    }

    @Test
    void selectionStaysInsideItsRangeAndUsesAbsoluteIndices() {
        float[] s = scores(300, 50, 9);
        TopKSelector selector = new TopKSelector();
        for (int[] r : new int[][] {{10, 20}, {37, 250}, {0, 300}, {299, 300}, {64, 128}, {63, 129}}) {
            for (int k : new int[] {(r[1] - r[0]) / 2, r[1] - r[0]}) {
                long[] words = new long[5];
                words[4] = 1L << 60; // a bit outside every range: must survive
                selector.keepTopK(s, r[0], r[1], k, words);
                BitSet expected = reference(s, r[0], r[1], k);
                expected.set(4 * 64 + 60);
                assertEquals(expected, toBitSet(words), r[0] + ".." + r[1] + " k=" + k);
            }
        }
    }

    @Test
    void negativeZeroRanksEqualToZeroSoIndexDecides() {
        float[] s = {-0.0f, 0.0f, -0.0f, 0.0f, 1f};
        long[] words = new long[1];
        TopKSelector.keepTopKByRank(s, 0, 5, 3, words);
        assertEquals(0b10011L, words[0]);
        float[] big = new float[64];
        big[5] = -0.0f;
        big[63] = 2f;
        long[] w2 = new long[1];
        new TopKSelector().keepTopK(big, 0, 64, 3, w2);
        assertEquals((1L << 63) | 0b11L, w2[0]);
    }

    @Test
    void kOutsideRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TopKSelector().keepTopK(new float[4], 0, 4, 5, new long[1]));
        assertThrows(IllegalArgumentException.class, () -> new TopKSelector().keepTopK(new float[4], 0, 4, -1, new long[1]));
    }
}
