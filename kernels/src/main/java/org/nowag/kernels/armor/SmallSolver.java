package org.nowag.kernels.armor;

/**
 * Solves G X = R for a small symmetric positive semi-definite G [n, n] (a Gram matrix of one block) by Cholesky, in
 * double. A Gram matrix can be singular (an all-zero row of S, s_j = 0), so a ridge lambda * I is added, starting
 * at 1e-12 * mean diagonal and growing tenfold while the factorisation fails. The caller checks the loss anyway:
 * the ridge only has to make the system solvable, not be exact.
 */
final class SmallSolver {
    private SmallSolver() {}

    /** X [n, m] row-major solving (G + lambda I) X = R, or null when G has no finite positive diagonal. */
    static double[] solve(double[] g, int n, double[] r, int m) {
        double trace = 0;
        for (int i = 0; i < n; i++) trace += g[i * n + i];
        if (!(trace > 0) || !Double.isFinite(trace)) return null;
        double lambda = 1e-12 * trace / n;
        for (int attempt = 0; attempt < 12; attempt++, lambda *= 10) {
            double[] l = cholesky(g, n, lambda);
            if (l != null) return substitute(l, n, r, m);
        }
        return null;
    }

    /** Lower factor L with L L^T = G + lambda I, or null when a pivot is not positive. */
    private static double[] cholesky(double[] g, int n, double lambda) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = g[i * n + j] + (i == j ? lambda : 0);
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(sum > 0)) return null;
                    l[i * n + i] = Math.sqrt(sum);
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        return l;
    }

    private static double[] substitute(double[] l, int n, double[] r, int m) {
        double[] x = r.clone();
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < n; i++) { // L y = r
                double sum = x[i * m + c];
                for (int k = 0; k < i; k++) sum -= l[i * n + k] * x[k * m + c];
                x[i * m + c] = sum / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) { // L^T x = y
                double sum = x[i * m + c];
                for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k * m + c];
                x[i * m + c] = sum / l[i * n + i];
            }
        }
        return x;
    }
}
