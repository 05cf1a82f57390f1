package org.nowag.kernels.sparsegpt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * SparseGPT the slow, obvious way: column by column, the optimal-brain-surgeon step with an explicit inverse of the
 * damped Hessian restricted to the columns not yet fixed, F = {j, ..., d-1}:
 * saliency w_rj^2 / [inv(H_F)]_jj, update W[r, F] -= (w_rj - q) / [inv(H_F)]_jj * inv(H_F)[j, F], applied at once to
 * every later column (no blocks of updates, no Cholesky). Masks are chosen when SparseGPT chooses them: per tile of
 * blockSize columns at the tile's first column (unstructured), per group at the group's first column (N:M).
 */
final class SlowSparseGpt {
    final double[][] w;
    final boolean[][] keep;

    private SlowSparseGpt(int rows, int cols) {
        w = new double[rows][cols];
        keep = new boolean[rows][cols];
    }

    static SlowSparseGpt prune(float[] w0, int rows, int cols, double[] xtx, SparsityPattern p, int blockSize,
                               double percDamp) {
        SlowSparseGpt s = new SlowSparseGpt(rows, cols);
        double[][] h = new double[cols][cols];
        boolean[] dead = new boolean[cols];
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) h[i][j] = xtx[i * cols + j];
            if (h[i][i] == 0) {
                dead[i] = true;
                h[i][i] = 1;
            }
        }
        double mean = 0;
        for (int i = 0; i < cols; i++) mean += h[i][i] / cols;
        for (int i = 0; i < cols; i++) h[i][i] += percDamp * mean;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) s.w[r][j] = dead[j] ? 0 : w0[r * cols + j];
        }
        for (int b = 0; b < cols; b += blockSize) {
            int end = Math.min(cols, b + blockSize);
            if (!p.isNOfM()) s.chooseTile(h, b, end, p.keptPerGroup((long) rows * end) - p.keptPerGroup((long) rows * b));
            for (int j = b; j < end; j++) {
                if (p.isNOfM() && (j - b) % p.m() == 0) s.chooseGroups(h, j, p.n(), p.m());
                double[][] inv = inverse(tail(h, j));
                for (int r = 0; r < rows; r++) {
                    double q = s.keep[r][j] ? s.w[r][j] : 0;
                    double f = (s.w[r][j] - q) / inv[0][0];
                    for (int c = j; c < cols; c++) s.w[r][c] -= f * inv[0][c - j];
                    s.w[r][j] = q;  // exactly, where the update leaves it up to rounding
                }
            }
        }
        return s;
    }

    float saliency(double[][] h, int r, int j) {
        double[][] inv = inverse(tail(h, j));
        return (float) (w[r][j] * w[r][j] / inv[0][0]);
    }

    private void chooseTile(double[][] h, int from, int to, long k) {
        List<double[]> cand = new ArrayList<>();  // {saliency, row, col}
        for (int r = 0; r < w.length; r++) {
            for (int j = from; j < to; j++) cand.add(new double[] {saliency(h, r, j), r, j});
        }
        cand.sort(Comparator.<double[]>comparingDouble(c -> -c[0]).thenComparingDouble(c -> c[1])
                .thenComparingDouble(c -> c[2]));
        for (int a = 0; a < k; a++) keep[(int) cand.get(a)[1]][(int) cand.get(a)[2]] = true;
    }

    private void chooseGroups(double[][] h, int g, int n, int m) {
        for (int r = 0; r < w.length; r++) {
            List<double[]> cand = new ArrayList<>();
            for (int j = g; j < g + m; j++) cand.add(new double[] {saliency(h, r, j), j});
            cand.sort(Comparator.<double[]>comparingDouble(c -> -c[0]).thenComparingDouble(c -> c[1]));
            for (int a = 0; a < n; a++) keep[r][(int) cand.get(a)[1]] = true;
        }
    }

    static double[][] tail(double[][] h, int j) {
        int n = h.length - j;
        double[][] t = new double[n][n];
        for (int a = 0; a < n; a++) System.arraycopy(h[j + a], j, t[a], 0, n);
        return t;
    }

    /** Gauss-Jordan with partial pivoting. */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) m[c][k] /= d;
            for (int r = 0; r < n; r++) {
                if (r == c) continue;
                double f = m[r][c];
                for (int k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(m[i], n, inv[i], 0, n);
        return inv;
    }
}
