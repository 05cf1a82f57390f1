package org.nowag.kernels.sparsegpt;

import java.util.BitSet;
import org.nowag.kernels.Checks;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.prune.TopKSelector;

/**
 * SparseGPT (Frantar and Alistarh 2023): prune W [rows, cols] column by column, each pruned weight's error spread
 * over the later columns of its row through the inverse of the damped Hessian H = X^T X + lambda I, so the kept
 * weights compensate (optimal brain surgeon, one column at a time). Follows the reference's
 * {@code SparseGPT.fasterprune} (github IST-DASLab/sparsegpt, sparsegpt.py; defaults blocksize=128,
 * percdamp=.01 there and in its opt.py):
 * <ul>
 *   <li>score of weight (r, j) = W_rj^2 / U_jj^2 with U the upper factor of H^-1 ({@link InverseHessianFactor}),
 *       W already updated by the columns before j's block (or before j's N:M group);</li>
 *   <li>unstructured: the mask of a block of {@code blockSize} columns is chosen once, at the block's start, over the
 *       whole rows x block tile (the reference's threshold over the tile);</li>
 *   <li>N:M: at the first column of each group of M, each row keeps the N highest scores of the group;</li>
 *   <li>then, column j: q = kept ? w : 0, err = (w - q) / U_jj, W[r, j+1..] -= err * U[j, j+1..] inside the block,
 *       and after the block the later columns get -Err * U[block, later] in one product (lazy batch update).</li>
 * </ul>
 * Where we differ from the reference, on purpose: the reference prunes the scores {@code <=} the tile's
 * {@code sort(...)[int(n * p)]}, i.e. int(n * p) + 1 weights of a tile (more on ties); we prune exactly a count per
 * tile such that the tiles' kept counts add up to Math.round((1 - p) * rows * cols), the rule every other method
 * here uses (block b keeps K(i2) - K(i1) with K(c) = Math.round((1 - p) * rows * c)). Ties: the lower row-major
 * index is kept. The sweep runs in double (the reference: float32); kept values are rounded to float at the end.
 * The group of an unstructured pattern (row/matrix) does not apply: the tile is the group.
 */
public final class SparseGpt {
    /** sparsegpt.py fasterprune(blocksize=128). */
    public static final int DEFAULT_BLOCK_SIZE = 128;
    /** sparsegpt.py fasterprune(percdamp=.01): lambda = 1% of mean diag(X^T X). */
    public static final double DEFAULT_PERC_DAMP = 0.01;

    private SparseGpt() {}

    public static SparseGptResult prune(float[] w, int rows, int cols, float[] xtx, SparsityPattern pattern) {
        return prune(w, rows, cols, toDouble(xtx), pattern, DEFAULT_BLOCK_SIZE, DEFAULT_PERC_DAMP);
    }

    /**
     * @param w    row-major [rows, cols] (d_out x d_in), not changed
     * @param xtx  X^T X row-major [cols, cols] (symmetric), not changed (copied: callers that can give it up use
     *             {@link #pruneInPlace} and save the d^2 copy)
     */
    public static SparseGptResult prune(float[] w, int rows, int cols, double[] xtx, SparsityPattern pattern,
                                        int blockSize, double percDamp) {
        if (xtx == null) throw new IllegalArgumentException("X^T X is null");
        return pruneInPlace(w, rows, cols, xtx.clone(), pattern, blockSize, percDamp);
    }

    /**
     * As {@link #prune(float[], int, int, double[], SparsityPattern, int, double)}, but the factor of the damped
     * Hessian is computed in place in {@code xtx}: on return its upper triangle (with the diagonal) holds U, and its
     * strict lower triangle still holds X^T X's (only the upper triangle of X^T X is read), which is what
     * {@link OutputLoss#ofLowerTriangle} needs with the diagonal saved before the call. Heap: the d^2 doubles of
     * {@code xtx}, plus n doubles (the working copy of W), n floats (the result) and n bits (the mask); off the heap,
     * ND4J holds a few GEMM chunks of at most {@link OffHeapMatrix#CHUNK_DOUBLES} doubles and one block of U.
     */
    public static SparseGptResult pruneInPlace(float[] w, int rows, int cols, double[] xtx, SparsityPattern pattern,
                                               int blockSize, double percDamp) {
        return pruneInPlace(w, rows, cols, xtx, pattern, blockSize, percDamp, InverseHessianFactor.PANEL,
                OffHeapMatrix.CHUNK_DOUBLES);
    }

    /** With the factor's panel width and the GEMM chunk size given, so tests can make both small. */
    static SparseGptResult pruneInPlace(float[] w, int rows, int cols, double[] xtx, SparsityPattern pattern,
                                        int blockSize, double percDamp, int panel, int chunkDoubles) {
        Checks.matrix(w, rows, cols, "w");
        Checks.finite(w, cols, "w");
        checkHessian(xtx, cols);
        if (pattern == null) throw new IllegalArgumentException("pattern must not be null");
        pattern.checkShape(rows, cols);
        if (blockSize < 1) throw new IllegalArgumentException("blockSize=" + blockSize + " must be >= 1");
        if (pattern.isNOfM() && blockSize % pattern.m() != 0) {
            throw new IllegalArgumentException("blockSize=" + blockSize + " must be a multiple of M=" + pattern.m()
                    + " so that N:M groups never cross a block");
        }
        if (!(percDamp >= 0 && Double.isFinite(percDamp))) {
            throw new IllegalArgumentException("percDamp=" + percDamp + " must be finite and >= 0");
        }
        boolean[] dead = new boolean[cols];
        InverseHessianFactor.factorInPlace(xtx, cols, percDamp, dead, panel, chunkDoubles);
        double[] u = xtx;  // only its upper triangle is read from here on
        double[] wd = new double[w.length];
        for (int k = 0; k < w.length; k++) wd[k] = dead[k % cols] ? 0 : w[k];
        long[] keep = new long[(w.length + 63) >>> 6];
        float[] out = new float[w.length];
        for (int i1 = 0; i1 < cols; i1 += blockSize) {
            int i2 = Math.min(cols, i1 + blockSize);
            if (!pattern.isNOfM()) {
                long k = keptUpTo(pattern, rows, i2) - keptUpTo(pattern, rows, i1);
                selectTile(wd, rows, cols, u, i1, i2, k, keep);
            }
            double[] err = sweepBlock(wd, rows, cols, u, i1, i2, pattern, keep, out);
            lazyUpdate(wd, rows, cols, u, i1, i2, err, chunkDoubles);
        }
        long kept = 0;
        for (long word : keep) kept += Long.bitCount(word);
        return new SparseGptResult(out, BitSet.valueOf(keep), kept);
    }

    /** Kept weights in the first c columns of all rows: the tiles' counts add up to the whole matrix's. */
    static long keptUpTo(SparsityPattern pattern, int rows, int c) {
        return pattern.keptPerGroup((long) rows * c);
    }

    /**
     * Columns i1..i2-1, one after another: fix each column, spread its error over the block's later columns. Rows are
     * independent here (the tile's mask is already chosen; an N:M group only looks at its own row), so the loop runs
     * row by row, each row's block segment staying in L1, with exactly the operations, in the same order per
     * element, of the column-by-column sweep.
     */
    private static double[] sweepBlock(double[] w, int rows, int cols, double[] u, int i1, int i2,
                                       SparsityPattern pattern, long[] keep, float[] out) {
        int count = i2 - i1;
        double[] err = new double[rows * count];
        double[] dInv = new double[count];
        for (int i = i1; i < i2; i++) dInv[i - i1] = 1.0 / u[i * cols + i];
        float[] groupScores = pattern.isNOfM() ? new float[pattern.m()] : null;
        for (int r = 0; r < rows; r++) {
            int rowW = r * cols;
            int rowErr = r * count;
            for (int i = i1; i < i2; i++) {
                if (pattern.isNOfM() && (i - i1) % pattern.m() == 0) {
                    selectGroup(w, rowW, cols, u, i, pattern, keep, groupScores);
                }
                int k = rowW + i;
                double x = w[k];
                boolean kept = (keep[k >>> 6] >>> k & 1L) != 0;
                double q = kept ? x : 0;
                out[k] = kept ? (float) x : 0f;
                double e = (x - q) * dInv[i - i1];
                err[rowErr + (i - i1)] = e;
                if (e == 0) continue;
                int uRow = i * cols;
                for (int c = i + 1; c < i2; c++) w[rowW + c] -= e * u[uRow + c];
            }
        }
        return err;
    }

    /**
     * W[:, i2:] -= Err [rows, count] x U[i1:i2, i2:]: ND4J double GEMMs over chunks of rows, each product at most
     * {@code chunkDoubles} doubles, so neither heap nor off-heap ever holds a [rows, rest] product. ND4J computes
     * (U_block^T Err_chunk^T)^T, which comes back with the chunk's rows contiguous.
     */
    private static void lazyUpdate(double[] w, int rows, int cols, double[] u, int i1, int i2, double[] err,
                                   int chunkDoubles) {
        int rest = cols - i2;
        if (rest == 0) return;
        int count = i2 - i1;
        double[] staged = new double[rest * count];  // U[i1:i2, i2:]^T
        OffHeapMatrix.transpose(u, i1 * cols + i2, cols, count, rest, staged, count);
        int chunk = OffHeapMatrix.chunkRows(Math.max(rest, count), rows, chunkDoubles);
        double[] delta = new double[rest];
        try (OffHeapMatrix ubT = OffHeapMatrix.zeros(rest, count)) {
            ubT.put(0, 0, staged, 0, staged.length);
            staged = new double[count * chunk];  // Err[chunk rows, :]^T
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                int r1 = Math.min(rows, r0 + chunk);
                int n = r1 - r0;
                OffHeapMatrix.transpose(err, r0 * count, count, n, count, staged, n);
                try (OffHeapMatrix errT = OffHeapMatrix.zeros(count, n)) {
                    errT.put(0, 0, staged, 0, count * n);
                    try (OffHeapMatrix p = OffHeapMatrix.productTransposed(ubT, errT)) {
                        for (int r = r0; r < r1; r++) {
                            p.get(r - r0, 0, delta, 0, rest);
                            int off = r * cols + i2;
                            for (int c = 0; c < rest; c++) w[off + c] -= delta[c];
                        }
                    }
                }
            }
        }
    }

    /** OBS score of (r, j): w_rj^2 / U_jj^2, as a float (the reference ranks float32 scores). */
    static float score(double w, double ujj) {
        return (float) (w * w / (ujj * ujj));
    }

    /**
     * Keeps the k highest scores of the rows x [i1, i2) tile, ties to the lower row-major index: an O(n) radix
     * select ({@link TopKSelector}) over the tile's scores in row-major order, its tile-local bits then placed at
     * their matrix indices.
     */
    private static void selectTile(double[] w, int rows, int cols, double[] u, int i1, int i2, long k, long[] keep) {
        int count = i2 - i1;
        float[] scores = new float[rows * count];
        for (int r = 0, t = 0; r < rows; r++) {
            for (int j = i1; j < i2; j++, t++) scores[t] = score(w[r * cols + j], u[j * cols + j]);
        }
        long[] tileKeep = new long[(scores.length + 63) >>> 6];
        new TopKSelector().keepTopK(scores, 0, scores.length, Math.toIntExact(k), tileKeep);
        for (int r = 0, t = 0; r < rows; r++) {
            int base = r * cols + i1;
            for (int j = 0; j < count; j++, t++) {
                if ((tileKeep[t >>> 6] >>> t & 1L) != 0) {
                    int idx = base + j;
                    keep[idx >>> 6] |= 1L << idx;
                }
            }
        }
    }

    /** In row {@code rowW / cols}, the N highest scores of columns [g, g + M), ties to the lower column. */
    private static void selectGroup(double[] w, int rowW, int cols, double[] u, int g, SparsityPattern pattern,
                                    long[] keep, float[] s) {
        int m = pattern.m();
        int n = pattern.n();
        int base = rowW + g;
        for (int a = 0; a < m; a++) s[a] = score(w[base + a], u[(g + a) * cols + g + a]);
        for (int a = 0; a < m; a++) {
            int better = 0;  // how many of the group rank above element a
            for (int b = 0; b < m; b++) {
                if (s[b] > s[a] || (s[b] == s[a] && b < a)) better++;
            }
            if (better < n) {
                int idx = base + a;
                keep[idx >>> 6] |= 1L << idx;
            }
        }
    }

    private static void checkHessian(double[] xtx, int cols) {
        if (xtx == null) throw new IllegalArgumentException("X^T X is null");
        InverseHessianFactor.checkDim(cols);
        if (xtx.length != (long) cols * cols) {
            throw new IllegalArgumentException("X^T X has " + xtx.length + " elements but must be square [d_in, d_in] = ["
                    + cols + ", " + cols + "] for a weight with d_in=" + cols);
        }
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double v = xtx[i * cols + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("X^T X [" + i + ", " + j + "] is " + v + "; it must be finite");
                }
                if (i == j && v < 0) {
                    throw new IllegalArgumentException("X^T X [" + i + ", " + i + "] is " + v
                            + "; a Gram matrix has a non-negative diagonal");
                }
            }
        }
    }

    static double[] toDouble(float[] xtx) {
        if (xtx == null) throw new IllegalArgumentException("X^T X is null");
        double[] d = new double[xtx.length];
        for (int k = 0; k < xtx.length; k++) d[k] = xtx[k];
        return d;
    }
}
