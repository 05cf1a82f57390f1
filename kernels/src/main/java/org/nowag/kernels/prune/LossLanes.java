package org.nowag.kernels.prune;

import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.simd.Simd;
import org.nowag.kernels.simd.VectorLoops;

/**
 * The three pruning losses of a block (proxy loss, proxy energy, data-aware loss), summed in a fixed order that a
 * vector loop can follow: each row's columns up to a multiple of 8 go to 8 lane sums by column mod 8, the rest to
 * one sequential tail sum; the total adds the lanes pairwise, then the tail. One sum in row-major order (what
 * ProxyLoss does) waits about 4 cycles on every addition; 8 lanes do not. The terms are ProxyLoss's, term for term;
 * only the order of the additions differs, so the totals agree with it to rounding (PruneResultValuesTest), and the
 * vector and scalar paths here agree bit for bit (SimdMatchesScalarTest).
 */
final class LossLanes {
    private static final int LANES = 8;
    private final double[] lanes = new double[3 * LANES]; // proxy loss, proxy energy, data-aware loss
    private final double[] tails = new double[3];

    /**
     * Adds row [offset, offset + cols) of w, pruned to p (kept weights equal to w's, pruned ones +0), with that row's
     * norm r; s is the activation diagonal (all ones when data-free).
     */
    void addRow(float[] w, float[] p, int offset, int cols, float[] colNorms, float r, float[] s) {
        int bound = cols - cols % LANES;
        int j = Simd.ENABLED ? VectorLoops.prunedLossLanes(w, p, offset, cols, colNorms, r, s, lanes) : 0;
        for (; j < bound; j++) {
            add(w[offset + j], p[offset + j], colNorms[j], r, s[j], lanes, j % LANES, LANES);
        }
        for (; j < cols; j++) {
            add(w[offset + j], p[offset + j], colNorms[j], r, s[j], tails, 0, 1);
        }
    }

    /** The same terms as VectorLoops.prunedLossLanes, into sums[at], sums[at + stride], sums[at + 2 * stride]. */
    private static void add(float x, float pruned, float colNorm, float r, float s, double[] sums, int at, int stride) {
        float xp = x - pruned; // x where pruned, +0 where kept
        float q = NoWagNormalizer.normalized(x, colNorm, r);
        float qp = xp != 0f ? q : 0f;
        sums[at] += ProxyLoss.term(s, qp);
        sums[at + stride] += ProxyLoss.term(s, q);
        sums[at + 2 * stride] += ProxyLoss.term(s, xp);
    }

    double proxyLoss() {
        return total(0);
    }

    double proxyEnergy() {
        return total(1);
    }

    double dataAwareLoss() {
        return total(2);
    }

    private double total(int sum) {
        int o = sum * LANES;
        double pairs = ((lanes[o] + lanes[o + 1]) + (lanes[o + 2] + lanes[o + 3]))
                + ((lanes[o + 4] + lanes[o + 5]) + (lanes[o + 6] + lanes[o + 7]));
        return pairs + tails[sum];
    }
}
