package org.nowag.kernels.armor;

/** Obviously correct, slow references: dense matrices, triple loops, Gaussian elimination. */
final class SlowArmor {
    private SlowArmor() {}

    /** The block-diagonal matrix [n, n] spelled out densely. */
    static double[][] dense(double[][] blocks, int b) {
        int n = blocks.length * b;
        double[][] d = new double[n][n];
        for (int k = 0; k < blocks.length; k++) {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) d[k * b + i][k * b + j] = blocks[k][i * b + j];
            }
        }
        return d;
    }

    static double[][] matrix(double[] rowMajor, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) m[i][j] = rowMajor[i * cols + j];
        }
        return m;
    }

    static double[][] matrix(float[] rowMajor, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) m[i][j] = rowMajor[i * cols + j];
        }
        return m;
    }

    static double[][] multiply(double[][] x, double[][] y) {
        double[][] out = new double[x.length][y[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y[0].length; j++) {
                double sum = 0;
                for (int k = 0; k < y.length; k++) sum += x[i][k] * y[k][j];
                out[i][j] = sum;
            }
        }
        return out;
    }

    /** sum_ij s_j (W - A S B)_ij^2 with every matrix dense. */
    static double loss(double[][] w, double[][] a, double[][] core, double[][] bm, double[] s) {
        double[][] p = multiply(multiply(a, core), bm);
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[0].length; j++) {
                double d = w[i][j] - p[i][j];
                sum += s[j] * d * d;
            }
        }
        return sum;
    }

    /** Solves M x = y by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] m, double[] y) {
        int n = y.length;
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n] = y[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= n; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = a[i][n];
            for (int k = i + 1; k < n; k++) sum -= a[i][k] * x[k];
            x[i] = sum / a[i][i];
        }
        return x;
    }

    /** min over x of sum_j weight_j (target_j - sum_t x_t design[t][j])^2, by the explicit normal equations. */
    static double[] leastSquares(double[][] design, double[] target, double[] weight) {
        int n = design.length;
        double[][] g = new double[n][n];
        double[] rhs = new double[n];
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < target.length; j++) rhs[p] += weight[j] * design[p][j] * target[j];
            for (int q = 0; q < n; q++) {
                for (int j = 0; j < target.length; j++) g[p][q] += weight[j] * design[p][j] * design[q][j];
            }
        }
        return solve(g, rhs);
    }
}
