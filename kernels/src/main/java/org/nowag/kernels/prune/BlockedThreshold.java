package org.nowag.kernels.prune;

/**
 * Exact top-k of a whole matrix that arrives in row blocks, without ever holding the matrix: two histogram passes
 * over the 31-bit ordering keys of the scores (scores are non-negative floats, whose bits order like the values).
 * Pass 1 counts keys by their high 16 bits; the bin holding the k-th largest key is found from the summed counts.
 * Pass 2 counts, within that bin, by the low 15 bits, which pins the k-th largest key exactly. Keys above it are
 * kept; of the keys equal to it, the first ones in row-major order are kept (ties: lower index wins), which the
 * caller turns into a quota per block from each block's count of equal keys, in block order.
 * The histograms are additive, so blocks can be counted anywhere and summed.
 */
public final class BlockedThreshold {
    public static final int HIGH_SHIFT = 15;
    public static final int HIGH_BINS = 1 << 16;
    public static final int LOW_BINS = 1 << 15;
    /** A threshold that keeps nothing (k = 0). */
    public static final int KEEP_NONE = Integer.MAX_VALUE;

    private BlockedThreshold() {}

    /** Pass 1 over one block: counts of scores by the high 16 bits of their key. */
    public static long[] highHistogram(float[] scores) {
        long[] counts = new long[HIGH_BINS];
        for (float s : scores) counts[TopKSelector.key(s) >>> HIGH_SHIFT]++;
        return counts;
    }

    /** Pass 2 over one block: among scores whose key's high bits equal highBin, counts by the low 15 bits. */
    public static long[] lowHistogram(float[] scores, int highBin) {
        long[] counts = new long[LOW_BINS];
        for (float s : scores) {
            int key = TopKSelector.key(s);
            if (key >>> HIGH_SHIFT == highBin) counts[key & (LOW_BINS - 1)]++;
        }
        return counts;
    }

    /** Adds b into a (histograms of blocks of the same tensor). */
    public static long[] add(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }

    /** The bin (of hist, scanned from the top) holding the k-th largest, and how many lie in higher bins. */
    public static Cut cut(long[] hist, long k) {
        if (k <= 0) throw new IllegalArgumentException("k must be positive, got " + k);
        long above = 0;
        for (int bin = hist.length - 1; bin >= 0; bin--) {
            if (above + hist[bin] >= k) return new Cut(bin, above, hist[bin]);
            above += hist[bin];
        }
        throw new IllegalArgumentException("k=" + k + " exceeds the " + above + " scores counted");
    }

    /** The k-th largest key itself, from pass 1's cut and the summed pass-2 histogram of that bin. */
    public static Threshold threshold(Cut high, long[] lowHist, long k) {
        Cut low = cut(lowHist, k - high.above);
        int key = (high.bin << HIGH_SHIFT) | low.bin;
        return new Threshold(key, k - high.above - low.above);
    }

    /** A histogram bin: its index, how many counts lie above it, and its own count. */
    public static final class Cut implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        public final int bin;
        public final long above;
        public final long count;

        public Cut(int bin, long above, long count) {
            this.bin = bin;
            this.above = above;
            this.count = count;
        }
    }

    /** Keep every key above {@code key}, and the first {@code equalToKeep} keys equal to it in row-major order. */
    public static final class Threshold implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        public final int key;
        public final long equalToKeep;

        public Threshold(int key, long equalToKeep) {
            this.key = key;
            this.equalToKeep = equalToKeep;
        }
    }
}
