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
 * <p>Speed traps avoided: about half the elements pass any keep test, so a branch on it mispredicts half the
 * time; the tests are turned into bits arithmetically ((b - a) >>> 31 is 1 iff a > b, exact for keys in
 * [0, 2^31)), and bits are gathered in a local word and stored once per 64 elements.
 *
 * <p>Not thread-safe: one instance per thread (it reuses its histograms).
 */
public final class TopKSelector {
    private static final int[] ROW_SHIFTS = {20, 10, 0};
    private static final int[] ROW_WIDTHS = {11, 10, 10};
    private static final int[] LARGE_SHIFTS = {15, 0};
    private static final int[] LARGE_WIDTHS = {16, 15};
    /** From this group size on, one pass over the data costs more than clearing the 16-bit histogram. */
    static final int DEFAULT_LARGE_GROUP = 1 << 20;
    /** Below this group size a pairwise rank is cheaper than three histogram clears. */
    static final int SMALL_GROUP = 32;

    private final int largeGroup;
    private final int[] rowHistogram = new int[1 << 11];
    private int[] largeHistogram; // allocated on the first large group
    private int[] candidates; // the keys of a row-sized group's chosen first-digit bucket (grown as needed)

    public TopKSelector() {
        this(DEFAULT_LARGE_GROUP);
    }

    /** @param largeGroup group size from which the two-pass 16-bit histogram is used (tests lower it). */
    TopKSelector(int largeGroup) {
        this.largeGroup = largeGroup;
    }

    /** The ordering key of a non-negative score. */
    static int key(float score) {
        return Float.floatToRawIntBits(score) & 0x7fffffff;
    }

    /** Sets bit i of keep for the k highest scores[i], from <= i < to; returns how many it set (k). */
    public int keepTopK(float[] scores, int from, int to, int k, long[] keep) {
        int n = to - from;
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k=" + k + " outside [0, " + n + "]");
        }
        if (k == 0) {
            return 0;
        }
        if (n <= SMALL_GROUP) {
            return keepTopKByRank(scores, from, to, k, keep);
        }
        int threshold;
        int need;
        if (k == n) {
            threshold = -1; // every key is > -1
            need = 0;
        } else {
            long found = kthLargestKey(scores, from, to, k, n >= largeGroup);
            threshold = (int) (found >>> 32);
            need = (int) found;
        }
        mark(scores, from, to, threshold, need, keep);
        return k;
    }

    /**
     * The cut that keepTopK marks by, without marking: the threshold key (high 32 bits) and how many elements equal
     * to it, the first ones in index order, belong to the k highest (low 32 bits). Keeping every key above the
     * threshold plus those first equal ones is exactly keepTopK's set (also for the groups keepTopK ranks pairwise:
     * both keep the k highest, ties to the lower index). k == 0 gives a threshold no key exceeds, with no ties kept.
     */
    public long cut(float[] scores, int from, int to, int k) {
        int n = to - from;
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k=" + k + " outside [0, " + n + "]");
        }
        if (k == 0) {
            return (long) Integer.MAX_VALUE << 32;  // keys are at most 0x7fffffff: none above it, no tie taken
        }
        if (k == n) {
            return -1L << 32;  // every key is > -1
        }
        return kthLargestKey(scores, from, to, k, n >= largeGroup);
    }

    /**
     * The k-th largest key (high 32 bits) and how many elements equal to it belong to the top k (low 32 bits),
     * found digit by digit from the most significant one.
     */
    private long kthLargestKey(float[] scores, int from, int to, int k, boolean large) {
        if (!large) {
            return kthLargestKeyRow(scores, from, to, k);
        }
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
            if (pass == 0) {
                for (int i = from; i < to; i++) {
                    histogram[key(scores[i]) >>> shift]++;
                }
            } else {
                for (int i = from; i < to; i++) {
                    int key = key(scores[i]);
                    if ((key & prefixMask) == prefix) { // rarely true after the first pass: well predicted
                        histogram[(key >>> shift) & digitMask]++;
                    }
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
        return ((long) prefix << 32) | need;
    }

    /**
     * kthLargestKey for a row-sized group: the first digit's histogram over the group, then the keys in the chosen
     * bucket copied to a small buffer (branch-free), and the two remaining digits found on that buffer only; the same
     * passes on the same keys as the general loop (which would scan the whole group twice more), so the same result.
     */
    private long kthLargestKeyRow(float[] scores, int from, int to, int k) {
        int[] histogram = rowHistogram;
        int shift0 = ROW_SHIFTS[0];
        int mask0 = (1 << ROW_WIDTHS[0]) - 1;
        Arrays.fill(histogram, 0, mask0 + 1, 0);
        for (int i = from; i < to; i++) {
            histogram[key(scores[i]) >>> shift0]++;
        }
        int need = k;
        int digit = mask0;
        while (histogram[digit] < need) {
            need -= histogram[digit];
            digit--;
        }
        int[] keys = candidates(to - from);
        int count = 0;
        for (int i = from; i < to; i++) {
            int key = key(scores[i]);
            keys[count] = key;
            count += (((key >>> shift0) ^ digit) - 1) >>> 31; // 1 iff the key is in the chosen bucket
        }
        int prefix = digit << shift0;
        int prefixMask = mask0 << shift0;
        for (int pass = 1; pass < ROW_SHIFTS.length; pass++) {
            int shift = ROW_SHIFTS[pass];
            int digitMask = (1 << ROW_WIDTHS[pass]) - 1;
            Arrays.fill(histogram, 0, digitMask + 1, 0);
            for (int i = 0; i < count; i++) {
                int key = keys[i];
                if ((key & prefixMask) == prefix) {
                    histogram[(key >>> shift) & digitMask]++;
                }
            }
            int d = digitMask;
            while (histogram[d] < need) {
                need -= histogram[d];
                d--;
            }
            prefix |= d << shift;
            prefixMask |= digitMask << shift;
        }
        return ((long) prefix << 32) | need;
    }

    private int[] candidates(int n) {
        if (candidates == null || candidates.length < n) {
            candidates = new int[n];
        }
        return candidates;
    }

    /**
     * Keeps every key above threshold, and the first `need` keys equal to it. Scalar on purpose: a Vector API version
     * (whole 64-element words, compare masks) gave the same bits but measured 0.78x of this loop in JMH.
     */
    private static void mark(float[] scores, int from, int to, int threshold, int need, long[] keep) {
        markScalar(scores, from, to, threshold, need, keep);
    }

    /** The scalar mark of [from, to); returns the need left. */
    private static int markScalar(float[] scores, int from, int to, int threshold, int need, long[] keep) {
        if (from >= to) {
            return need;
        }
        long word = 0;
        for (int i = from; i < to; i++) {
            int key = key(scores[i]);
            long bit = (threshold - key) >>> 31; // 1 iff key > threshold
            if (key == threshold && need > 0) { // rare: only the threshold's ties
                bit = 1;
                need--;
            }
            word |= bit << i; // Java masks the shift count to i & 63
            if ((i & 63) == 63) {
                keep[i >>> 6] |= word;
                word = 0;
            }
        }
        if (((to - 1) & 63) != 63) {
            keep[(to - 1) >>> 6] |= word;
        }
        return need;
    }

    /**
     * For small groups (an N:M group of 4 or 8): element a is kept iff fewer than k elements beat it,
     * where b beats a if its key is larger, or equal with a lower index. O(n^2) compares on keys in L1,
     * which for n = 4 or 8 beats any histogram.
     */
    static int keepTopKByRank(float[] scores, int from, int to, int k, long[] keep) {
        keepNOfEveryM(scores, from, to, k, to - from, keep);
        return k;
    }

    /**
     * N:M over [from, to) (a multiple of m long): in every run of m consecutive scores keep the n highest,
     * by the same pairwise rank as {@link #keepTopKByRank}, with one mask store per 64 elements.
     */
    static void keepNOfEveryM(float[] scores, int from, int to, int n, int m, long[] keep) {
        if (m == 4 && (from & 3) == 0) {
            keepNOfEvery4(scores, from, to, n, keep);
            return;
        }
        long word = 0;
        for (int g = from; g < to; g += m) {
            int end = g + m;
            for (int a = g; a < end; a++) {
                int keyA = key(scores[a]);
                int beaten = 0;
                for (int b = g; b < a; b++) {
                    beaten += (keyA - key(scores[b]) - 1) >>> 31; // key_b >= key_a: equal and earlier wins
                }
                for (int b = a + 1; b < end; b++) {
                    beaten += (keyA - key(scores[b])) >>> 31; // key_b > key_a
                }
                word |= (long) ((beaten - n) >>> 31) << a; // 1 iff beaten < n
                if ((a & 63) == 63) {
                    keep[a >>> 6] |= word;
                    word = 0;
                }
            }
        }
        if (to > from && ((to - 1) & 63) != 63) {
            keep[(to - 1) >>> 6] |= word;
        }
    }

    /**
     * The same rank as {@link #keepNOfEveryM} unrolled for M = 4 (2:4 is the pattern sparse tensor cores run),
     * where the generic loops' variable bounds cost more than the twelve compares themselves.
     */
    private static void keepNOfEvery4(float[] scores, int from, int to, int n, long[] keep) {
        long word = 0;
        for (int g = from; g < to; g += 4) {
            int k0 = key(scores[g]);
            int k1 = key(scores[g + 1]);
            int k2 = key(scores[g + 2]);
            int k3 = key(scores[g + 3]);
            // beats(b, a) = 1 when key_b > key_a, or key_b == key_a with b earlier
            int r0 = gt(k1, k0) + gt(k2, k0) + gt(k3, k0);
            int r1 = ge(k0, k1) + gt(k2, k1) + gt(k3, k1);
            int r2 = ge(k0, k2) + ge(k1, k2) + gt(k3, k2);
            int r3 = ge(k0, k3) + ge(k1, k3) + ge(k2, k3);
            long bits = ((r0 - n) >>> 31) | ((r1 - n) >>> 31) << 1 | ((r2 - n) >>> 31) << 2 | ((r3 - n) >>> 31) << 3;
            word |= bits << g; // g is a multiple of 4, so the 4 bits never straddle a word
            if ((g & 63) == 60) {
                keep[g >>> 6] |= word;
                word = 0;
            }
        }
        if (to > from && ((to - 1) & 63) != 63) {
            keep[(to - 1) >>> 6] |= word;
        }
    }

    /** 1 iff a > b, for keys in [0, 2^31). */
    private static int gt(int a, int b) {
        return (b - a) >>> 31;
    }

    /** 1 iff a >= b, for keys in [0, 2^31). */
    private static int ge(int a, int b) {
        return (b - a - 1) >>> 31;
    }

    private int[] largeHistogram() {
        if (largeHistogram == null) {
            largeHistogram = new int[1 << 16];
        }
        return largeHistogram;
    }

    static boolean get(long[] words, int i) {
        return (words[i >>> 6] & (1L << i)) != 0;
    }
}
