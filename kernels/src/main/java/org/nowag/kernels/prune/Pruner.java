package org.nowag.kernels.prune;

import java.util.Arrays;
import java.util.BitSet;

import org.nowag.kernels.Checks;
import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * Prunes a row block W [rows, cols] (the whole matrix when the group is MATRIX).
 * colNorms are the NoWag column norms of the WHOLE matrix (from NoWagNormalizer.columnNorms over all blocks);
 * s is the diagonal of X^T X for this layer, length cols, or null for data-free (all ones).
 * Ties in importance: the lower row-major index wins.
 *
 * <p>The selection is the NoWag reference's (src/utils/sparse.py, UnstructuredSparse): rank the importances
 * of a group (whole matrix by default, {@code sparse_group = -1}) in descending order and keep the top k;
 * for N:M ({@code pattern: [n, m]}, generate_mask_pattern) keep the top n of every m consecutive inputs.
 * The reference uses an unstable torch.argsort, so its ties are arbitrary; ours are deterministic.
 */
public final class Pruner {
    private Pruner() {}

    public static PruneResult prune(PruneMethod method, SparsityPattern pattern,
                                    float[] w, int rows, int cols, float[] colNorms, float[] s) {
        if (method == null || pattern == null) {
            throw new IllegalArgumentException("method and pattern must not be null");
        }
        Checks.matrix(w, rows, cols, "w");
        pattern.checkShape(rows, cols);
        Checks.positiveNorms(colNorms, cols, "colNorms");
        Checks.activationDiagonal(s, cols);
        // Row norms are row-local (given the whole matrix's colNorms), so a row block computes its own.
        float[] rowNorms = NoWagNormalizer.rowNorms(w, rows, cols, colNorms); // also rejects NaN/Inf weights
        if (pattern.isNOfM()) {
            // The scores are not kept in a local: at 235M elements they are 940 MB the GC may reclaim before
            // assemble allocates the output.
            long[] keep = select(pattern, Importance.scores(method, w, rows, cols, colNorms, rowNorms, s), rows, cols);
            return assemble(w, rows, cols, colNorms, rowNorms, s, keep);
        }
        // Whole-matrix and per-row groups: find each group's cut first, then mark the kept set while assembling
        // (one pass over the scores fewer), writing the pruned weights over the scores (no third block-sized array).
        float[] scores = Importance.scores(method, w, rows, cols, colNorms, rowNorms, s);
        TopKSelector selector = new TopKSelector();
        long[] cuts;
        if (pattern.group() == SparsityPattern.Group.ROW) {
            int k = (int) pattern.keptPerGroup(cols);
            cuts = new long[rows];
            for (int i = 0; i < rows; i++) {
                cuts[i] = selector.cut(scores, i * cols, (i + 1) * cols, k);
            }
        } else {
            cuts = new long[] {selector.cut(scores, 0, scores.length, (int) pattern.keptPerGroup(scores.length))};
        }
        return assembleCut(w, rows, cols, colNorms, rowNorms, s, scores, cuts);
    }

    /**
     * Importance scores of a row block, with its row norms computed from the block and the whole matrix's colNorms:
     * what {@link BlockedThreshold}'s histogram passes count.
     */
    public static float[] blockScores(PruneMethod method, float[] w, int rows, int cols, float[] colNorms, float[] s) {
        Checks.matrix(w, rows, cols, "w");
        Checks.positiveNorms(colNorms, cols, "colNorms");
        Checks.activationDiagonal(s, cols);
        float[] rowNorms = NoWagNormalizer.rowNorms(w, rows, cols, colNorms); // also rejects NaN/Inf weights
        return Importance.scores(method, w, rows, cols, colNorms, rowNorms, s);
    }

    /**
     * Prunes one row block of a matrix whose whole-matrix threshold was found by {@link BlockedThreshold}: keeps
     * scores whose key is above thresholdKey, plus the first equalQuota (row-major) whose key equals it.
     * With the quota from the blocks before it, the union over blocks equals prune() on the whole matrix.
     */
    public static PruneResult pruneAbove(PruneMethod method, float[] w, int rows, int cols, float[] colNorms,
                                         float[] s, int thresholdKey, long equalQuota) {
        if (method == null) throw new IllegalArgumentException("method must not be null");
        if (equalQuota < 0) throw new IllegalArgumentException("equalQuota must be >= 0, got " + equalQuota);
        Checks.matrix(w, rows, cols, "w");
        Checks.positiveNorms(colNorms, cols, "colNorms");
        Checks.activationDiagonal(s, cols);
        float[] rowNorms = NoWagNormalizer.rowNorms(w, rows, cols, colNorms);
        float[] scores = Importance.scores(method, w, rows, cols, colNorms, rowNorms, s);
        // A block never holds more ties than elements, so the quota fits an int exactly.
        int quota = (int) Math.min(equalQuota, Integer.MAX_VALUE);
        return assembleCut(w, rows, cols, colNorms, rowNorms, s, scores,
                new long[] {((long) thresholdKey << 32) | (quota & 0xffffffffL)});
    }

    /** Importance of every element (row-major), as the method defines it. */
    public static float[] importance(PruneMethod method, float[] w, int rows, int cols,
                                     float[] colNorms, float[] rowNorms, float[] s) {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
        Checks.matrix(w, rows, cols, "w");
        Checks.finite(w, cols, "w");
        Checks.positiveNorms(colNorms, cols, "colNorms");
        Checks.positiveNorms(rowNorms, rows, "rowNorms");
        Checks.activationDiagonal(s, cols);
        return Importance.scores(method, w, rows, cols, colNorms, rowNorms, s);
    }

    /** The keep mask as bit words (bit i = row-major element i), one selection per group of the pattern. */
    static long[] select(SparsityPattern pattern, float[] scores, int rows, int cols) {
        long[] keep = new long[(scores.length + 63) >>> 6];
        TopKSelector selector = new TopKSelector();
        if (pattern.isNOfM()) {
            int m = pattern.m();
            int n = pattern.n();
            // cols % m == 0, so groups of m consecutive elements never cross a row
            if (m <= TopKSelector.SMALL_GROUP) {
                TopKSelector.keepNOfEveryM(scores, 0, scores.length, n, m, keep);
            } else {
                for (int from = 0; from < scores.length; from += m) {
                    selector.keepTopK(scores, from, from + m, n, keep);
                }
            }
        } else if (pattern.group() == SparsityPattern.Group.ROW) {
            int k = (int) pattern.keptPerGroup(cols);
            for (int i = 0; i < rows; i++) {
                selector.keepTopK(scores, i * cols, (i + 1) * cols, k, keep);
            }
        } else {
            int k = (int) pattern.keptPerGroup(scores.length);
            selector.keepTopK(scores, 0, scores.length, k, keep);
        }
        return keep;
    }

    /**
     * Kept weights copied bit for bit (no round trip through W_bar), pruned set to +0.0f, row by row; each row's
     * three losses are then added while the row is in cache, term for term as ProxyLoss computes them (LossLanes).
     */
    private static PruneResult assemble(float[] w, int rows, int cols, float[] colNorms, float[] rowNorms,
                                        float[] s, long[] keep) {
        float[] weights = s != null ? s : ones(cols);
        float[] pruned = new float[w.length];
        LossLanes losses = new LossLanes();
        for (int i = 0; i < rows; i++) {
            pruneRow(w, i * cols, cols, keep, pruned);
            losses.addRow(w, pruned, i * cols, cols, colNorms, rowNorms[i], weights);
        }
        return result(pruned, keep, losses);
    }

    /**
     * assemble for groups cut by a threshold: the keep bit of each element comes from its score and its group's cut
     * (cuts[0] for the whole matrix, cuts[i] per row), as TopKSelector's mark sets it (above the threshold, or equal
     * to it while the group's tie quota lasts, in row-major order), and the pruned weight is written over the score.
     */
    private static PruneResult assembleCut(float[] w, int rows, int cols, float[] colNorms, float[] rowNorms,
                                           float[] s, float[] scores, long[] cuts) {
        float[] weights = s != null ? s : ones(cols);
        long[] keep = new long[(scores.length + 63) >>> 6];
        LossLanes losses = new LossLanes();
        int[] need = new int[1];
        boolean perRow = cuts.length == rows && cuts.length > 1;
        need[0] = cuts.length == 0 ? 0 : (int) cuts[0];
        for (int i = 0; i < rows; i++) {
            long cut = perRow ? cuts[i] : cuts[0];
            if (perRow) need[0] = (int) cut;
            pruneRowCut(w, i * cols, cols, scores, (int) (cut >>> 32), need, keep);
            losses.addRow(w, scores, i * cols, cols, colNorms, rowNorms[i], weights);
        }
        return result(scores, keep, losses);
    }

    private static PruneResult result(float[] pruned, long[] keep, LossLanes losses) {
        long kept = 0;
        for (long word : keep) {
            kept += Long.bitCount(word);
        }
        return new PruneResult(pruned, BitSet.valueOf(keep), kept, losses.proxyLoss(), losses.proxyEnergy(),
                losses.dataAwareLoss());
    }

    /**
     * One row's keep bits from its scores and the cut, and the pruned weights written over the scores. Branch-free
     * on the keep bit (about half the bits are set, so a branch would mispredict half the time): the weight is
     * masked with -bit.
     */
    private static void pruneRowCut(float[] w, int offset, int cols, float[] scores, int threshold, int[] needLeft,
                                    long[] keep) {
        int need = needLeft[0];
        long word = 0;
        int end = offset + cols;
        for (int k = offset; k < end; k++) {
            int key = TopKSelector.key(scores[k]);
            int bit = (threshold - key) >>> 31; // 1 iff key > threshold
            if (key == threshold && need > 0) { // rare: only the threshold's ties
                bit = 1;
                need--;
            }
            word |= (long) bit << k; // Java masks the shift count to k & 63
            if ((k & 63) == 63) {
                keep[k >>> 6] |= word;
                word = 0;
            }
            scores[k] = Float.intBitsToFloat(Float.floatToRawIntBits(w[k]) & -bit);
        }
        if (cols > 0 && ((end - 1) & 63) != 63) {
            keep[(end - 1) >>> 6] |= word;
        }
        needLeft[0] = need;
    }

    /** One row's pruned weights from the keep bits: the weight where the bit is set, else +0.0f. */
    private static void pruneRow(float[] w, int offset, int cols, long[] keep, float[] pruned) {
        for (int k = offset; k < offset + cols; k++) {
            int bit = (int) (keep[k >>> 6] >>> k) & 1;
            pruned[k] = Float.intBitsToFloat(Float.floatToRawIntBits(w[k]) & -bit);
        }
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }
}
