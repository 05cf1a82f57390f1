package org.nowag.kernels.armor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    final double[] wBar;
    final double[] s;
    final double[][] a;
    final double[][] bm;
    /** Per group (row-major over rows x cols/4): the code of its kept pair ({@link TwoOfFour}). */
    final byte[] pair;
    /** Per group: the value at its lower kept position, then at its higher one. */
    final double[] values;

    ArmorState(double[] wBar, int rows, int cols, double[] s, int b, byte[] pair, double[] values) {
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

    /** S as a dense row-major matrix. */
    double[] denseCore() {
        double[] out = new double[rows * cols];
        int groups = rows * cols / 4;
        for (int g = 0; g < groups; g++) {
            int c = pair[g];
            out[4 * g + TwoOfFour.FIRST[c]] = values[2 * g];
            out[4 * g + TwoOfFour.SECOND[c]] = values[2 * g + 1];
        }
        return out;
    }

    double[] product() {
        return BlockProducts.left(a, b, BlockProducts.right(denseCore(), rows, cols, bm, b), rows, cols);
    }

    /** L = sum_ij s_j (W_bar - A S B)_ij^2, summed in row-major order (the one definition every check uses). */
    double loss() {
        return weightedError(wBar, product(), rows, cols, s);
    }

    static double weightedError(double[] w, double[] q, int rows, int cols, double[] s) {
        double sum = 0;
        for (int i = 0, k = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++, k++) {
                double d = w[k] - q[k];
                sum += s[j] * d * d;
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- A step

    /**
     * A's blocks with S and B fixed. With M = S B, output block k's loss is ||(W_k - A_k M_k) D^1/2||^2
     * (D = diag(s)), a weighted least squares with the closed form A_k = W_k D M_k^T (M_k D M_k^T)^-1.
     * A block is replaced only when its own loss falls (the blocks' losses add up to L).
     * Returns the number of blocks replaced.
     */
    int stepA() {
        double[] m = BlockProducts.right(denseCore(), rows, cols, bm, b);
        double[][] candidate = candidateA(m);
        double[] before = rowBlockLosses(BlockProducts.left(a, b, m, rows, cols));
        double[][] trial = a.clone();
        for (int k = 0; k < a.length; k++) if (candidate[k] != null) trial[k] = candidate[k];
        double[] after = rowBlockLosses(BlockProducts.left(trial, b, m, rows, cols));
        int replaced = 0;
        for (int k = 0; k < a.length; k++) {
            if (candidate[k] != null && after[k] < before[k]) {
                a[k] = candidate[k];
                replaced++;
            }
        }
        return replaced;
    }

    /** The closed form for every block of A given M = S B (null where M_k D M_k^T has no positive diagonal). */
    double[][] candidateA(double[] m) {
        int n = a.length;
        double[] mw = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) mw[i * cols + j] = m[i * cols + j] * s[j];
        }
        INDArray mwB = BlockProducts.rowBlocks(mw, rows, cols, b);
        double[] gram = BlockProducts.rowMajor(Nd4j.matmul(mwB, BlockProducts.rowBlocks(m, rows, cols, b), false, true, false));
        double[] cross = BlockProducts.rowMajor(Nd4j.matmul(mwB, BlockProducts.rowBlocks(wBar, rows, cols, b), false, true, false));
        double[][] out = new double[n][];
        for (int k = 0; k < n; k++) {
            double[] at = SmallSolver.solve(slice(gram, k), b, slice(cross, k), b); // G A^T = (W D M^T)^T
            out[k] = at == null ? null : transpose(at, b);
        }
        return out;
    }

    private double[] rowBlockLosses(double[] p) {
        double[] out = new double[a.length];
        for (int i = 0, x = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++, x++) {
                double d = wBar[x] - p[x];
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
     * A block is replaced only when its own (weighted) loss falls. Returns the number of blocks replaced.
     */
    int stepB() {
        double[] n = BlockProducts.left(a, b, denseCore(), rows, cols);
        double[][] candidate = candidateB(n);
        double[] before = columnBlockLosses(BlockProducts.right(n, rows, cols, bm, b));
        double[][] trial = bm.clone();
        for (int m = 0; m < bm.length; m++) if (candidate[m] != null) trial[m] = candidate[m];
        double[] after = columnBlockLosses(BlockProducts.right(n, rows, cols, trial, b));
        int replaced = 0;
        for (int m = 0; m < bm.length; m++) {
            if (candidate[m] != null && after[m] < before[m]) {
                bm[m] = candidate[m];
                replaced++;
            }
        }
        return replaced;
    }

    /** The closed form for every block of B given N = A S (null where N_m^T N_m has no positive diagonal). */
    double[][] candidateB(double[] n) {
        INDArray nB = BlockProducts.columnBlocks(n, rows, cols, b);
        double[] gram = BlockProducts.rowMajor(Nd4j.matmul(nB, nB, true, false, false));
        double[] cross = BlockProducts.rowMajor(Nd4j.matmul(nB, BlockProducts.columnBlocks(wBar, rows, cols, b), true, false, false));
        double[][] out = new double[bm.length][];
        for (int m = 0; m < bm.length; m++) out[m] = SmallSolver.solve(slice(gram, m), b, slice(cross, m), b);
        return out;
    }

    private double[] columnBlockLosses(double[] p) {
        double[] out = new double[bm.length];
        for (int i = 0, x = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++, x++) {
                double d = wBar[x] - p[x];
                out[j / b] += s[j] * d * d;
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
     * Returns the number of groups whose values or positions changed.
     */
    int stepS() {
        double[] e = residual();
        double[][] q = groupGrams();
        int changed = 0;
        for (int k = 0; k < a.length; k++) {
            for (int m = 0; m < bm.length; m++) {
                for (int ii = 0; ii < b; ii++) {
                    changed += sweepRow(e, q, k, m, ii, 0, b / 4);
                }
            }
        }
        return changed;
    }

    double[] residual() {
        double[] p = product();
        double[] e = new double[rows * cols];
        for (int k = 0; k < e.length; k++) e[k] = wBar[k] - p[k];
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
