package org.nowag.kernels.prune;

import java.util.Arrays;

/**
 * Marks the k highest scores of a contiguous range of a float[] in a bit mask, ties going to the lower index.
 *
 * <p>Scores are non-negative floats, and for those the IEEE bit pattern read as an int is monotone in the
 * value, so an MSD radix select on the 31 low bits finds the k-th largest key without sorting, boxing or
 * per-element allocation: O(n) for the 235M-element matrices of a 70B model. Large groups take two
 * histogram passes (16 + 15 bits: 256 KiB of counters, paid once per matrix); row-sized groups take three
 * (11 + 10 + 10 bits: 8 KiB, cheap to clear for every row). Every element above the threshold key is kept,
 * plus the lowest-index elements equal to it until k are kept.
 * The sign bit is masked off so -0.0 ranks as 0.0; NaN must be rejected by the caller (it has no rank).
 *
 * <p>Not thread-safe: one instance per thread (it reuses its histograms).
 */
final class TopKSelector {
    private static final int[] ROW_SHIFTS = {20, 10, 0};
    private static final int[] ROW_WIDTHS = {11, 10, 10};
    private static final int[] LARGE_SHIFTS = {15, 0};
    private static final int[] LARGE_WIDTHS = {16, 15};
    /** From this group size on, one pass over the data costs more than clearing the 16-bit histogram. */
    private static final int LARGE_GROUP = 1 << 20;
    /** Below this group size a pairwise rank is cheaper than three histogram clears. */
    private static final int SMALL_GROUP = 32;

    private final int[] rowHistogram = new int[1 << 11];
    private int[] largeHistogram; // allocated on the first large group

    /** The ordering key of a non-negative score. */
    static int key(float score) {
        return Float.floatToRawIntBits(score) & 0x7fffffff;
    }

    /** Sets bit i of keep for the k highest scores[i], from <= i < to; returns how many it set (k). */
    int keepTopK(float[] scores, int from, int to, int k, long[] keep) {
        int n = to - from;
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k=" + k + " outside [0, " + n + "]");
        }
        if (k == 0) {
            return 0;
        }
        if (k == n) {
            for (int i = from; i < to; i++) {
                set(keep, i);
            }
            return k;
        }
        if (n <= SMALL_GROUP) {
            return keepTopKByRank(scores, from, to, k, keep);
        }
        boolean large = n >= LARGE_GROUP;
        int[] shifts = large ? LARGE_SHIFTS : ROW_SHIFTS;
        int[] widths = large ? LARGE_WIDTHS : ROW_WIDTHS;
        int[] histogram = large ? largeHistogram() : rowHistogram;
        int prefix = 0;
        int prefixMask = 0;
        int need = k; // how many still to keep among the keys matching the prefix
        for (int pass = 0; pass < shifts.length; pass++) {
            int shift = shifts[pass];
            int digitMask = (1 << widths[pass]) - 1;
            Arrays.fill(histogram, 0, digitMask + 1, 0);
            for (int i = from; i < to; i++) {
                int key = key(scores[i]);
                if ((key & prefixMask) == prefix) {
                    histogram[(key >>> shift) & digitMask]++;
                }
            }
            int digit = digitMask;
            while (histogram[digit] < need) { // terminates: the prefix's bucket counts sum to >= need
                need -= histogram[digit];
                digit--;
            }
            prefix |= digit << shift;
            prefixMask |= digitMask << shift;
        }
        // prefix is now the k-th largest key; `need` elements equal to it are kept, lowest index first.
        int threshold = prefix;
        for (int i = from; i < to; i++) {
            int key = key(scores[i]);
            if (key > threshold) {
                set(keep, i);
            } else if (key == threshold && need > 0) {
                set(keep, i);
                need--;
            }
        }
        return k;
    }

    /**
     * For small groups (an N:M group of 4 or 8): element a is kept iff fewer than k elements beat it,
     * where b beats a if its key is larger, or equal with a lower index. O(n^2) compares, but branch-free
     * and on keys held in registers/L1, which for n = 4 or 8 beats any histogram.
     */
    static int keepTopKByRank(float[] scores, int from, int to, int k, long[] keep) {
        for (int a = from; a < to; a++) {
            int keyA = key(scores[a]);
            int beaten = 0;
            for (int b = from; b < a; b++) {
                beaten += key(scores[b]) >= keyA ? 1 : 0; // equal and earlier: b wins the tie
            }
            for (int b = a + 1; b < to; b++) {
                beaten += key(scores[b]) > keyA ? 1 : 0;
            }
            if (beaten < k) {
                set(keep, a);
            }
        }
        return k;
    }

    private int[] largeHistogram() {
        if (largeHistogram == null) {
            largeHistogram = new int[1 << 16];
        }
        return largeHistogram;
    }

    static void set(long[] words, int i) {
        words[i >>> 6] |= 1L << i; // Java masks the shift count to i & 63
    }

    static boolean get(long[] words, int i) {
        return (words[i >>> 6] & (1L << i)) != 0;
    }
}
