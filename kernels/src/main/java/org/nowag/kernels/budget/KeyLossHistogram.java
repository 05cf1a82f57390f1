package org.nowag.kernels.budget;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nowag.kernels.Checks;

/**
 * The whole-matrix pruning curve of one matrix, summarised from its row blocks: importance scores binned by the top
 * {@code bits} bits of their 31-bit ordering key (the key the pruning kernels rank by), and per bin the count, the
 * sum of the data-aware loss terms s_j W_ij^2 of its weights, and their smallest and largest term. Blocks are binned
 * anywhere and merged by adding bins, so the driver only ever sees this summary (non-empty bins only).
 *
 * <p><b>What it gives.</b> Pruning keeps the k highest scores (ties: lower index). Whenever k leaves whole bins
 * pruned, the pruned set is exactly those bins (a tie never straddles a bin: equal scores have equal keys), so the
 * curve is exact at every bin boundary (up to the rounding of the double sums). Inside a bin of c weights with m of
 * them kept, the weights pruned are the c - m lowest of the bin in an order the summary does not know; the curve
 * interpolates the bin's loss linearly, and the truth lies within
 * <pre>  m (c - m) / c * (maxTerm - minTerm)   (at most c / 4 * (maxTerm - minTerm))</pre>
 * of it. Proof: the c - m pruned terms sum to at most the c - m largest and at least the c - m smallest; the gap
 * between either and (c - m) times the mean is at most min((c - m)(max - mean), m(mean - min)), which is at most
 * m (c - m) / c * (max - min) (the two arguments weighted by m / c and (c - m) / c add up to exactly that).
 *
 * <p><b>Resolution.</b> With the default 16 bits (sign 0, 8 exponent bits, 7 mantissa bits; the same split as
 * {@code BlockedThreshold}'s first pass) a bin spans a relative score range of 2^-7 (0.8%). For Wanda and data-free
 * magnitude the loss term is the score squared, so within a bin max/min <= (1 + 2^-7)^2 and the interpolation error
 * is at most 0.4% of the bin's loss; for NoWag-P the term is the score times c_j^2 r_i^2 and the bound is wider, but
 * it is computed from the data and carried with the curve. {@link #toCurve} can merge neighbouring bins into at most
 * a given number of segments of about equal weight counts (the bound stays valid: merged bins keep min and max).
 *
 * <p>Merging is exact for counts, min and max; the loss sums are doubles, so merge in a fixed order (block order)
 * for bit-identical curves.
 */
public final class KeyLossHistogram implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_BITS = 16;
    /** Dense per-block accumulators hold 2^bits bins: 20 bits is 32 MiB for one block. */
    public static final int MAX_BITS = 20;

    private int bits;
    private int[] bin;        // [bins], ascending key prefixes of non-empty bins
    private long[] count;     // [bins]
    private double[] lossSum; // [bins]
    private double[] minTerm; // [bins]
    private double[] maxTerm; // [bins]

    private KeyLossHistogram() {}

    private KeyLossHistogram(int bits, int[] bin, long[] count, double[] lossSum, double[] minTerm, double[] maxTerm) {
        this.bits = bits;
        this.bin = bin;
        this.count = count;
        this.lossSum = lossSum;
        this.minTerm = minTerm;
        this.maxTerm = maxTerm;
    }

    static void checkBits(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("histogram bits=" + bits + " must be in [1, " + MAX_BITS + "]");
        }
    }

    /** The ordering key of a non-negative score: its IEEE bits without the sign (as the pruning kernels rank). */
    static int key(float score) {
        return Float.floatToRawIntBits(score) & 0x7fffffff;
    }

    /**
     * Bins one row block: scores[k] is the importance of element k (row-major) of a [rows, cols] block and w its
     * weights; s the layer's diagonal of X^T X (null: data-free, all ones).
     */
    public static KeyLossHistogram of(float[] scores, float[] w, int rows, int cols, float[] s, int bits) {
        checkBits(bits);
        Checks.matrix(w, rows, cols, "w");
        Checks.length(scores, (long) rows * cols, "scores");
        Checks.activationDiagonal(s, cols);
        int shift = 31 - bits;
        int size = 1 << bits;
        long[] c = new long[size];
        double[] sum = new double[size];
        double[] lo = new double[size];
        double[] hi = new double[size];
        for (int i = 0, k = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++, k++) {
                int b = key(scores[k]) >>> shift;
                double term = LossTerms.term(s, j, w[k]);
                if (c[b]++ == 0) {
                    lo[b] = term;
                    hi[b] = term;
                } else {
                    lo[b] = Math.min(lo[b], term);
                    hi[b] = Math.max(hi[b], term);
                }
                sum[b] += term;
            }
        }
        int nonEmpty = 0;
        for (long v : c) if (v != 0) nonEmpty++;
        KeyLossHistogram h = new KeyLossHistogram(bits, new int[nonEmpty], new long[nonEmpty], new double[nonEmpty],
                new double[nonEmpty], new double[nonEmpty]);
        for (int b = 0, t = 0; b < size; b++) {
            if (c[b] != 0) {
                h.bin[t] = b;
                h.count[t] = c[b];
                h.lossSum[t] = sum[b];
                h.minTerm[t] = lo[b];
                h.maxTerm[t] = hi[b];
                t++;
            }
        }
        return h;
    }

    /** The summary of both blocks (this one first); neither input changes. */
    public KeyLossHistogram merge(KeyLossHistogram other) {
        if (other.bits != bits) {
            throw new IllegalArgumentException("cannot merge histograms of " + bits + " and " + other.bits + " bits");
        }
        int n = 0;
        int a = 0;
        int b = 0;
        while (a < bin.length || b < other.bin.length) {
            if (b >= other.bin.length || (a < bin.length && bin[a] < other.bin[b])) a++;
            else if (a >= bin.length || other.bin[b] < bin[a]) b++;
            else { a++; b++; }
            n++;
        }
        KeyLossHistogram m = new KeyLossHistogram(bits, new int[n], new long[n], new double[n], new double[n],
                new double[n]);
        a = 0;
        b = 0;
        for (int t = 0; t < n; t++) {
            if (b >= other.bin.length || (a < bin.length && bin[a] < other.bin[b])) {
                m.copy(t, this, a++);
            } else if (a >= bin.length || other.bin[b] < bin[a]) {
                m.copy(t, other, b++);
            } else {
                m.copy(t, this, a);
                m.count[t] += other.count[b];
                m.lossSum[t] += other.lossSum[b];
                m.minTerm[t] = Math.min(m.minTerm[t], other.minTerm[b]);
                m.maxTerm[t] = Math.max(m.maxTerm[t], other.maxTerm[b]);
                a++;
                b++;
            }
        }
        return m;
    }

    private void copy(int t, KeyLossHistogram from, int i) {
        bin[t] = from.bin[i];
        count[t] = from.count[i];
        lossSum[t] = from.lossSum[i];
        minTerm[t] = from.minTerm[i];
        maxTerm[t] = from.maxTerm[i];
    }

    public int bits() { return bits; }

    /** Non-empty bins. */
    public int bins() { return bin.length; }

    /** Weights counted. */
    public long total() {
        long n = 0;
        for (long c : count) n += c;
        return n;
    }

    /** The data-aware loss of pruning everything: sum of all terms. */
    public double totalLoss() {
        double sum = 0;
        for (double v : lossSum) sum += v;
        return sum;
    }

    /**
     * The curve in kept weights: a point at every boundary of at most maxSegments segments (neighbouring bins merged
     * into runs of about total / maxSegments weights; a bin is never split), every segment fillable with the
     * interpolation bound above. Costs run from 0 (all pruned, loss = every term) to the matrix size (loss 0).
     *
     * @param weights the matrix's size; must equal {@link #total()} (a missing block would shift every point)
     */
    public CostCurve toCurve(String name, long weights, int maxSegments) {
        if (maxSegments < 1) throw new IllegalArgumentException("maxSegments=" + maxSegments + " must be >= 1");
        long n = total();
        if (n != weights) {
            throw new IllegalArgumentException("matrix " + name + ": the histogram counts " + n + " weights but the"
                    + " matrix has " + weights + " (a row block missing or counted twice?)");
        }
        // Groups of consecutive bins from the lowest key up (the order pruning removes them in).
        long target = Math.max(1, (n + maxSegments - 1) / maxSegments);
        List<long[]> groupCounts = new ArrayList<>();
        List<double[]> groupStats = new ArrayList<>(); // sum, min, max
        long gc = 0;
        double gs = 0;
        double gmin = Double.POSITIVE_INFINITY;
        double gmax = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < bin.length; t++) {
            gc += count[t];
            gs += lossSum[t];
            gmin = Math.min(gmin, minTerm[t]);
            gmax = Math.max(gmax, maxTerm[t]);
            if (gc >= target || t == bin.length - 1) {
                groupCounts.add(new long[] {gc});
                groupStats.add(new double[] {gs, gmin, gmax});
                gc = 0;
                gs = 0;
                gmin = Double.POSITIVE_INFINITY;
                gmax = Double.NEGATIVE_INFINITY;
            }
        }
        int g = groupCounts.size();
        long[] cost = new long[g + 1];
        double[] loss = new double[g + 1];
        double[] spread = new double[g];
        // Point p (ascending cost) keeps everything above group g - p: pruned = groups 0 .. g - p - 1.
        double[] prunedLoss = new double[g + 1];
        long[] prunedCount = new long[g + 1];
        for (int u = 0; u < g; u++) {
            prunedLoss[u + 1] = prunedLoss[u] + groupStats.get(u)[0];
            prunedCount[u + 1] = prunedCount[u] + groupCounts.get(u)[0];
        }
        for (int p = 0; p <= g; p++) {
            cost[p] = n - prunedCount[g - p];
            loss[p] = prunedLoss[g - p];
        }
        for (int p = 0; p < g; p++) {
            double[] st = groupStats.get(g - 1 - p); // the segment from point p to p + 1 un-prunes group g - 1 - p
            spread[p] = st[2] - st[1];
        }
        boolean[] fillable = new boolean[g];
        Arrays.fill(fillable, true);
        return new CostCurve(name, weights, cost, loss, new double[g + 1], fillable, spread, new String[g + 1]);
    }
}
