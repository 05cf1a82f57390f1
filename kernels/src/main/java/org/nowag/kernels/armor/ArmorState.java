package org.nowag.kernels.armor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nowag.kernels.ParallelBlocks;

/**
 * The iterate of ARMOR's block coordinate descent on the NoWag proxy loss L = sum_ij s_j (W_bar - A S B)_ij^2:
 * A [d_out, d_out] and B [d_in, d_in] block diagonal (square blocks of size b), S 2:4 (two kept values in every
 * four consecutive inputs of a row, stored as a pair code and two values per group). Every step keeps a candidate
 * only if it does not raise L, recomputed from scratch the same way every time ({@link #loss()}).
 */
final class ArmorState {
    final int rows;
    final int cols;
    final int b;
    /**
     * W_bar as float (the normalizer's output). Every use widens an element to double first, which is exact, so the
     * arithmetic is the same as with a double copy of it, without holding one (8 bytes per weight).
     */
    final float[] wBar;
    final double[] s;
    final double[][] a;
    final double[][] bm;
    /** Per group (row-major over rows x cols/4): the code of its kept pair ({@link TwoOfFour}). */
    final byte[] pair;
    /** Per group: the value at its lower kept position, then at its higher one. */
    final double[] values;
    /**
     * Bound on the input of one chunk of a block product, in bytes of doubles. The products run over a few row
     * blocks (b x cols each) or a few column blocks (rows x b each) at a time, at least one, so a chunk holds
     * max(chunkBytes, 8 b max(rows, cols)) bytes. The result is the same for every value (see {@link BlockProducts}).
     */
    long chunkBytes = BlockProducts.DEFAULT_CHUNK_BYTES;
    /** Threads for the loops over output blocks (the S sweep); the result does not depend on it. */
    int threads = 1;

    ArmorState(float[] wBar, int rows, int cols, double[] s, int b, byte[] pair, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.b = b;
        this.wBar = wBar;
        this.s = s;
        this.pair = pair;
        this.values = values;
        this.a = identityBlocks(rows / b, b);
        this.bm = identityBlocks(cols / b, b);
    }

    private static double[][] identityBlocks(int n, int b) {
        double[][] blocks = new double[n][b * b];
        for (double[] block : blocks) {
            for (int i = 0; i < b; i++) block[i * b + i] = 1;
        }
        return blocks;
    }

    /** S as a dense row-major matrix (for tests; the steps only ever build chunks of it). */
    double[] denseCore() {
        return denseCoreRows(0, rows);
    }

    /** Rows r0 .. r1 - 1 of S, dense [r1 - r0, cols]. */
    double[] denseCoreRows(int r0, int r1) {
        double[] out = new double[(r1 - r0) * cols];
        int g0 = r0 * (cols / 4);
        int g1 = r1 * (cols / 4);
        for (int g = g0; g < g1; g++) {
            int c = pair[g];
            int base = 4 * (g - g0);
            out[base + TwoOfFour.FIRST[c]] = values[2 * g];
            out[base + TwoOfFour.SECOND[c]] = values[2 * g + 1];
        }
        return out;
    }

    /** Columns c0 .. c1 - 1 of S (c0, c1 multiples of 4), dense [rows, c1 - c0]. */
    double[] denseCoreColumns(int c0, int c1) {
        int width = c1 - c0;
        double[] out = new double[rows * width];
        int perRow = cols / 4;
        for (int i = 0; i < rows; i++) {
            for (int g = c0 / 4; g < c1 / 4; g++) {
                int group = i * perRow + g;
                int c = pair[group];
                int base = i * width + 4 * g - c0;
                out[base + TwoOfFour.FIRST[c]] = values[2 * group];
                out[base + TwoOfFour.SECOND[c]] = values[2 * group + 1];
            }
        }
        return out;
    }

    /** Row blocks of A per chunk: as many b x cols slabs of doubles as fit in chunkBytes, at least one. */
    int rowBlocksPerChunk() {
        return (int) Math.max(1, Math.min(a.length, chunkBytes / (8L * b * cols)));
    }

    /** Column blocks of B per chunk: as many rows x b slabs of doubles as fit in chunkBytes, at least one. */
    int columnBlocksPerChunk() {
        return (int) Math.max(1, Math.min(bm.length, chunkBytes / (8L * b * rows)));
    }

    /** Rows k0*b .. k1*b - 1 of A S B, row-major; bStack = all of B stacked. */
    private double[] productRows(int k0, int k1, INDArray bStack) {
        int height = (k1 - k0) * b;
        double[] m = BlockProducts.right(denseCoreRows(k0 * b, k1 * b), height, cols, bStack, b);
        return leftRows(a, k0, k1, m);
    }

    /** Blocks k0 .. k1 - 1 of a block-diagonal matrix times x [(k1 - k0) * b, cols]. */
    private double[] leftRows(double[][] blocks, int k0, int k1, double[] x) {
        INDArray stack = BlockProducts.stack(blocks, k0, k1, b);
        try {
            return BlockProducts.left(stack, b, x, (k1 - k0) * b, cols);
        } finally {
            BlockProducts.close(stack);
        }
    }

    /** x [rows, (m1 - m0) * b] times blocks m0 .. m1 - 1 of a block-diagonal matrix. */
    private double[] rightColumns(double[] x, double[][] blocks, int m0, int m1) {
        INDArray stack = BlockProducts.stack(blocks, m0, m1, b);
        try {
            return BlockProducts.right(x, rows, (m1 - m0) * b, stack, b);
        } finally {
            BlockProducts.close(stack);
        }
    }

    /** Elements from .. from + count - 1 of W_bar, widened to double (exact). */
    private double[] wBarSlice(int from, int count) {
        double[] out = new double[count];
        for (int x = 0; x < count; x++) out[x] = wBar[from + x];
        return out;
    }

    /** Columns c0 .. c1 - 1 of W_bar as a [rows, c1 - c0] double array. */
    private double[] wBarColumns(int c0, int c1) {
        int width = c1 - c0;
        double[] out = new double[rows * width];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) out[i * width + j] = wBar[i * cols + c0 + j];
        }
        return out;
    }

    /**
     * L = sum_ij s_j (W_bar - A S B)_ij^2, summed in row-major order (the one definition every check uses), with
     * A S B built a chunk of row blocks at a time; the running sum goes on across chunks in the same order.
     */
    double loss() {
        double sum = 0;
        INDArray bStack = BlockProducts.stack(bm, b);
        try {
            int step = rowBlocksPerChunk();
            for (int k0 = 0; k0 < a.length; k0 += step) {
                int k1 = Math.min(a.length, k0 + step);
                double[] p = productRows(k0, k1, bStack);
                int base = k0 * b * cols;
                for (int i = 0, k = 0; i < (k1 - k0) * b; i++) {
                    for (int j = 0; j < cols; j++, k++) {
                        double d = wBar[base + k] - p[k];
                        sum += s[j] * d * d;
                    }
                }
            }
        } finally {
            BlockProducts.close(bStack);
        }
        return sum;
    }

    // ---------------------------------------------------------------- A step

    /**
     * A's blocks with S and B fixed. With M = S B, output block k's loss is ||(W_k - A_k M_k) D^1/2||^2
     * (D = diag(s)), a weighted least squares with the closed form A_k = W_k D M_k^T (M_k D M_k^T)^-1.
     * A block is replaced only when its own loss falls (the blocks' losses add up to L). Block k needs rows
     * k*b .. k*b + b - 1 of M only, so this runs a chunk of row blocks at a time.
     * Returns the number of blocks replaced.
     */
    int stepA() {
        int replaced = 0;
        INDArray bStack = BlockProducts.stack(bm, b);
        try {
            int step = rowBlocksPerChunk();
            for (int k0 = 0; k0 < a.length; k0 += step) {
                int k1 = Math.min(a.length, k0 + step);
                double[] m = BlockProducts.right(denseCoreRows(k0 * b, k1 * b), (k1 - k0) * b, cols, bStack, b);
                double[][] candidate = candidateA(m, k0, k1);
                double[] before = rowBlockLosses(leftRows(a, k0, k1, m), k0, k1);
                double[][] trial = new double[a.length][];
                for (int k = k0; k < k1; k++) trial[k] = candidate[k - k0] != null ? candidate[k - k0] : a[k];
                double[] after = rowBlockLosses(leftRows(trial, k0, k1, m), k0, k1);
                for (int k = k0; k < k1; k++) {
                    if (candidate[k - k0] != null && after[k - k0] < before[k - k0]) {
                        a[k] = candidate[k - k0];
                        replaced++;
                    }
                }
            }
        } finally {
            BlockProducts.close(bStack);
        }
        return replaced;
    }

    /** The closed form for every block of A given all of M = S B (null where M_k D M_k^T has no positive diagonal). */
    double[][] candidateA(double[] m) {
        return candidateA(m, 0, a.length);
    }

    /** The closed form for blocks k0 .. k1 - 1 of A, given their rows of M = S B ([(k1 - k0) * b, cols]). */
    double[][] candidateA(double[] m, int k0, int k1) {
        int height = (k1 - k0) * b;
        double[] mw = new double[height * cols];
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < cols; j++) mw[i * cols + j] = m[i * cols + j] * s[j];
        }
        INDArray mwB = BlockProducts.rowBlocks(mw, height, cols, b);
        mw = null;
        INDArray mB = null;
        INDArray wB = null;
        double[] gram;
        double[] cross;
        try {
            mB = BlockProducts.rowBlocks(m, height, cols, b);
            gram = BlockProducts.batchedOuter(mwB, mB);
            BlockProducts.close(mB);
            mB = null;
            wB = BlockProducts.rowBlocks(wBarSlice(k0 * b * cols, height * cols), height, cols, b);
            cross = BlockProducts.batchedOuter(mwB, wB);
        } finally {
            BlockProducts.close(mwB, mB, wB);
        }
        double[][] out = new double[k1 - k0][];
        for (int k = 0; k < k1 - k0; k++) {
            double[] at = SmallSolver.solve(slice(gram, k), b, slice(cross, k), b); // G A^T = (W D M^T)^T
            out[k] = at == null ? null : transpose(at, b);
        }
        return out;
    }

    /** Per row block k0 .. k1 - 1: sum s_j (W_bar - P)^2 over its rows, P = those rows of a product. */
    private double[] rowBlockLosses(double[] p, int k0, int k1) {
        double[] out = new double[k1 - k0];
        int base = k0 * b * cols;
        for (int i = 0, x = 0; i < (k1 - k0) * b; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++, x++) {
                double d = wBar[base + x] - p[x];
                sum += s[j] * d * d;
            }
            out[i / b] += sum;
        }
        return out;
    }

    // ---------------------------------------------------------------- B step

    /**
     * B's blocks with A and S fixed. With N = A S, input block m's loss is sum_{j in block m} s_j ||W_:j - N_m B_m,:j||^2;
     * s_j scales a whole column, so each column is an ordinary least squares: B_m = (N_m^T N_m)^-1 N_m^T W_m.
     * A block is replaced only when its own (weighted) loss falls. Block m needs columns m*b .. m*b + b - 1 of N
     * only (N's columns are A times S's columns), so this runs a chunk of column blocks at a time.
     * Returns the number of blocks replaced.
     */
    int stepB() {
        int replaced = 0;
        INDArray aStack = BlockProducts.stack(a, b);
        try {
            int step = columnBlocksPerChunk();
            for (int m0 = 0; m0 < bm.length; m0 += step) {
                int m1 = Math.min(bm.length, m0 + step);
                int width = (m1 - m0) * b;
                double[] n = BlockProducts.left(aStack, b, denseCoreColumns(m0 * b, m1 * b), rows, width);
                double[][] candidate = candidateB(n, m0, m1);
                double[] before = columnBlockLosses(rightColumns(n, bm, m0, m1), m0, m1);
                double[][] trial = new double[bm.length][];
                for (int m = m0; m < m1; m++) trial[m] = candidate[m - m0] != null ? candidate[m - m0] : bm[m];
                double[] after = columnBlockLosses(rightColumns(n, trial, m0, m1), m0, m1);
                for (int m = m0; m < m1; m++) {
                    if (candidate[m - m0] != null && after[m - m0] < before[m - m0]) {
                        bm[m] = candidate[m - m0];
                        replaced++;
                    }
                }
            }
        } finally {
            BlockProducts.close(aStack);
        }
        return replaced;
    }

    /** The closed form for every block of B given all of N = A S (null where N_m^T N_m has no positive diagonal). */
    double[][] candidateB(double[] n) {
        return candidateB(n, 0, bm.length);
    }

    /** The closed form for blocks m0 .. m1 - 1 of B, given their columns of N = A S ([rows, (m1 - m0) * b]). */
    double[][] candidateB(double[] n, int m0, int m1) {
        int width = (m1 - m0) * b;
        INDArray nB = BlockProducts.columnBlocks(n, rows, width, b);
        INDArray wB = null;
        double[] gram;
        double[] cross;
        try {
            gram = BlockProducts.batchedGram(nB, nB);
            wB = BlockProducts.columnBlocks(wBarColumns(m0 * b, m1 * b), rows, width, b);
            cross = BlockProducts.batchedGram(nB, wB);
        } finally {
            BlockProducts.close(nB, wB);
        }
        double[][] out = new double[m1 - m0][];
        for (int m = 0; m < m1 - m0; m++) out[m] = SmallSolver.solve(slice(gram, m), b, slice(cross, m), b);
        return out;
    }

    /** Per column block m0 .. m1 - 1: sum s_j (W_bar - P)^2 over its columns, P = those columns of a product. */
    private double[] columnBlockLosses(double[] p, int m0, int m1) {
        int width = (m1 - m0) * b;
        int c0 = m0 * b;
        double[] out = new double[m1 - m0];
        for (int i = 0, x = 0; i < rows; i++) {
            for (int jj = 0; jj < width; jj++, x++) {
                int j = c0 + jj;
                double d = wBar[i * cols + j] - p[x];
                out[jj / b] += s[j] * d * d;
            }
        }
        return out;
    }

    private double[] slice(double[] stacked, int k) {
        double[] out = new double[b * b];
        System.arraycopy(stacked, k * b * b, out, 0, b * b);
        return out;
    }

    // ---------------------------------------------------------------- S step

    /**
     * S with A and B fixed: one Gauss-Seidel sweep over every 2:4 group. For group (i, g) with everything else fixed
     * the loss is quadratic in its four values v: const - 2 v^T h + |a|^2 v^T Q v, where a = column i of A,
     * Q = B_g D B_g^T (B_g = the four rows of B the group multiplies) and h = B_g D E^T a + |a|^2 Q v0 (E the current
     * residual W_bar - A S B, v0 the current values). For each of the six pairs of positions the optimal two values
     * solve a 2 x 2 system; the pair with the lowest loss wins, and replaces the current one only if it is strictly
     * lower (the current pair with its current values is always a candidate, so no group step raises L).
     * The residual is kept up to date after every group, so later groups see earlier changes exactly.
     *
     * <p>A is block diagonal, so a group of output block k reads and writes only rows k*b .. k*b + b - 1 of E and its
     * own row's groups: output blocks are independent, and run on {@link #threads} threads, each block's groups in
     * the same order as on one thread, so the result is the same bits for any thread count.
     * Returns the number of groups whose values or positions changed.
     */
    int stepS() {
        double[] e = residual();
        double[][] q = groupGrams();
        return ParallelBlocks.sum(a.length, threads, k -> sweepBlock(e, q, k));
    }

    /** Sweeps every group of output block k (its b rows, every input block), in the one fixed order. */
    private int sweepBlock(double[] e, double[][] q, int k) {
        int changed = 0;
        for (int m = 0; m < bm.length; m++) {
            for (int ii = 0; ii < b; ii++) {
                changed += sweepRow(e, q, k, m, ii, 0, b / 4);
            }
        }
        return changed;
    }

    /** E = W_bar - A S B, built a chunk of row blocks at a time. */
    double[] residual() {
        double[] e = new double[rows * cols];
        INDArray bStack = BlockProducts.stack(bm, b);
        try {
            int step = rowBlocksPerChunk();
            for (int k0 = 0; k0 < a.length; k0 += step) {
                int k1 = Math.min(a.length, k0 + step);
                double[] p = productRows(k0, k1, bStack);
                int base = k0 * b * cols;
                for (int x = 0; x < p.length; x++) e[base + x] = wBar[base + x] - p[x];
            }
        } finally {
            BlockProducts.close(bStack);
        }
        return e;
    }

    /** Q for every group position of every B block: [m][g][16], Q = B_g D B_g^T. */
    double[][][] groupGramsByBlock() {
        double[][][] q = new double[bm.length][b / 4][16];
        for (int m = 0; m < bm.length; m++) {
            for (int g = 0; g < b / 4; g++) {
                for (int t = 0; t < 4; t++) {
                    for (int u = 0; u < 4; u++) {
                        double sum = 0;
                        int rt = (4 * g + t) * b;
                        int ru = (4 * g + u) * b;
                        for (int j = 0; j < b; j++) sum += bm[m][rt + j] * s[m * b + j] * bm[m][ru + j];
                        q[m][g][t * 4 + u] = sum;
                    }
                }
            }
        }
        return q;
    }

    private double[][] groupGrams() {
        double[][][] byBlock = groupGramsByBlock();
        double[][] flat = new double[bm.length * (b / 4)][];
        for (int m = 0; m < bm.length; m++) {
            for (int g = 0; g < b / 4; g++) flat[m * (b / 4) + g] = byBlock[m][g];
        }
        return flat;
    }

    /**
     * Updates the groups g0 .. g1 - 1 (local to input block m) of row k*b + ii, then folds their change into e.
     * Package-private so a test can step one group and compare with a brute-force search.
     */
    int sweepRow(double[] e, double[][] q, int k, int m, int ii, int g0, int g1) {
        double[] ak = a[k];
        double[] col = new double[b];
        double aa = 0;
        for (int p = 0; p < b; p++) {
            col[p] = ak[p * b + ii];
            aa += col[p] * col[p];
        }
        if (!(aa > 0)) return 0;
        double[] u = new double[b]; // E_km^T a
        for (int p = 0; p < b; p++) {
            double ap = col[p];
            if (ap == 0) continue;
            int off = (k * b + p) * cols + m * b;
            for (int j = 0; j < b; j++) u[j] += ap * e[off + j];
        }
        double[] block = bm[m];
        double[] delta = new double[b];
        boolean any = false;
        int changed = 0;
        int row = k * b + ii;
        double[] h = new double[4];
        double[] v0 = new double[4];
        for (int g = g0; g < g1; g++) {
            int group = row * (cols / 4) + m * (b / 4) + g;
            double[] qg = q[m * (b / 4) + g];
            java.util.Arrays.fill(v0, 0);
            int c0 = pair[group];
            v0[TwoOfFour.FIRST[c0]] = values[2 * group];
            v0[TwoOfFour.SECOND[c0]] = values[2 * group + 1];
            for (int t = 0; t < 4; t++) {
                int rt = (4 * g + t) * b;
                double sum = 0;
                for (int j = 0; j < b; j++) sum += block[rt + j] * s[m * b + j] * u[j];
                double qv = 0;
                for (int x = 0; x < 4; x++) qv += qg[t * 4 + x] * v0[x];
                h[t] = sum + aa * qv;
            }
            double f0 = 0;
            for (int t = 0; t < 4; t++) {
                double qv = 0;
                for (int x = 0; x < 4; x++) qv += qg[t * 4 + x] * v0[x];
                f0 += -2 * v0[t] * h[t] + aa * v0[t] * qv;
            }
            double best = f0;
            int bestCode = -1;
            double bestP = 0;
            double bestQ = 0;
            for (int c = 0; c < TwoOfFour.PAIRS; c++) {
                int p = TwoOfFour.FIRST[c];
                int r = TwoOfFour.SECOND[c];
                double qpp = aa * qg[p * 4 + p];
                double qrr = aa * qg[r * 4 + r];
                double qpr = aa * qg[p * 4 + r];
                double det = qpp * qrr - qpr * qpr;
                if (!(det > 1e-14 * qpp * qrr) || !(qpp > 0)) continue; // singular pair: leave it out
                double vp = (qrr * h[p] - qpr * h[r]) / det;
                double vr = (qpp * h[r] - qpr * h[p]) / det;
                double f = -(h[p] * vp + h[r] * vr);
                if (f < best) {
                    best = f;
                    bestCode = c;
                    bestP = vp;
                    bestQ = vr;
                }
            }
            if (bestCode < 0) continue;
            double[] dv = new double[4];
            for (int t = 0; t < 4; t++) dv[t] = -v0[t];
            dv[TwoOfFour.FIRST[bestCode]] += bestP;
            dv[TwoOfFour.SECOND[bestCode]] += bestQ;
            pair[group] = (byte) bestCode;
            values[2 * group] = bestP;
            values[2 * group + 1] = bestQ;
            for (int t = 0; t < 4; t++) {
                if (dv[t] == 0) continue;
                delta[4 * g + t] += dv[t];
                int rt = (4 * g + t) * b;
                double scale = aa * dv[t];
                for (int j = 0; j < b; j++) u[j] -= scale * block[rt + j];
            }
            any = true;
            changed++;
        }
        if (any) {
            double[] w = new double[b]; // delta^T B_m
            for (int t = 0; t < b; t++) {
                double d = delta[t];
                if (d == 0) continue;
                for (int j = 0; j < b; j++) w[j] += d * block[t * b + j];
            }
            for (int p = 0; p < b; p++) {
                double ap = col[p];
                if (ap == 0) continue;
                int off = (k * b + p) * cols + m * b;
                for (int j = 0; j < b; j++) e[off + j] -= ap * w[j];
            }
        }
        return changed;
    }

    // ---------------------------------------------------------------- snapshots

    /** A copy of what one step may change: A (step 0), B (step 1) or the core (step 2). */
    Snapshot snapshot(int step) { return new Snapshot(this, step); }

    static double[] transpose(double[] x, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) t[j * n + i] = x[i * n + j];
        }
        return t;
    }

    /** A copy of the part of the iterate one step changes, to put back when the step would raise the loss. */
    static final class Snapshot {
        private final double[][] a;
        private final double[][] bm;
        private final byte[] pair;
        private final double[] values;

        Snapshot(ArmorState st, int step) {
            a = step == 0 ? st.a.clone() : null;    // the steps replace whole blocks, never write into one
            bm = step == 1 ? st.bm.clone() : null;
            pair = step == 2 ? st.pair.clone() : null;
            values = step == 2 ? st.values.clone() : null;
        }

        void restore(ArmorState st) {
            if (a != null) System.arraycopy(a, 0, st.a, 0, a.length);
            if (bm != null) System.arraycopy(bm, 0, st.bm, 0, bm.length);
            if (pair != null) {
                System.arraycopy(pair, 0, st.pair, 0, pair.length);
                System.arraycopy(values, 0, st.values, 0, values.length);
            }
        }
    }
}
