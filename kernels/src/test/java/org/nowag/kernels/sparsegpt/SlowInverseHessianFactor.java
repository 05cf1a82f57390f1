package org.nowag.kernels.sparsegpt;

/**
 * The factor the slow, unblocked way (what {@link InverseHessianFactor} computed before it was blocked): the same
 * preparation (dead inputs get H_jj = 1, lambda = percDamp * mean(diag H) on the diagonal), then the reversed
 * Cholesky H = R R^T column by column from the last, then U = R^-1 by back substitution row by row from the last,
 * each in plain scalar loops over separate arrays. The blocked, in-place, GEMM-based factor must equal it up to
 * rounding.
 */
final class SlowInverseHessianFactor {
    private SlowInverseHessianFactor() {}

    /**
     * @param h X^T X, row-major [d, d], copied (not changed)
     * @param dead out: dead[j] set when H_jj was 0
     * @return U row-major [d, d], zero below the diagonal
     */
    static double[] of(double[] h, int d, double percDamp, boolean[] dead) {
        double[] a = h.clone();
        double trace = 0;
        for (int j = 0; j < d; j++) {
            if (a[j * d + j] == 0) {
                dead[j] = true;
                a[j * d + j] = 1;
            }
            trace += a[j * d + j];
        }
        double lambda = percDamp * trace / d;
        for (int j = 0; j < d; j++) a[j * d + j] += lambda;
        double[] r = reversedCholesky(a, d, lambda);
        return upperInverse(r, d);
    }

    /** R upper triangular with H = R R^T: column j of R from the columns after it (j = d-1 down to 0). */
    static double[] reversedCholesky(double[] a, int d, double lambda) {
        double[] r = new double[a.length];
        for (int j = d - 1; j >= 0; j--) {
            int rowJ = j * d;
            double sum = a[rowJ + j];
            for (int k = j + 1; k < d; k++) sum -= r[rowJ + k] * r[rowJ + k];
            if (!(sum > 0)) {
                throw new IllegalArgumentException("X^T X + lambda I is not positive definite (pivot " + j + " is "
                        + sum + " after damping lambda=" + lambda + "); X^T X must be a symmetric positive "
                        + "semi-definite Gram matrix (recompute the calibration, or raise the damping)");
            }
            double rjj = Math.sqrt(sum);
            r[rowJ + j] = rjj;
            for (int i = 0; i < j; i++) {
                int rowI = i * d;
                double s = a[rowI + j];
                for (int k = j + 1; k < d; k++) s -= r[rowI + k] * r[rowJ + k];
                r[rowI + j] = s / rjj;
            }
        }
        return r;
    }

    /** The inverse of an upper triangular matrix (upper triangular), by back substitution row by row from the end. */
    static double[] upperInverse(double[] r, int d) {
        double[] u = new double[r.length];
        for (int i = d - 1; i >= 0; i--) {
            int rowI = i * d;
            double inv = 1.0 / r[rowI + i];
            u[rowI + i] = inv;
            // row i of U: (R U)_{i, c} = 0 for c > i  =>  U_ic = -inv * sum_{k=i+1..c} R_ik U_kc
            for (int k = i + 1; k < d; k++) {
                double rik = r[rowI + k];
                if (rik == 0) continue;
                int rowK = k * d;
                for (int c = k; c < d; c++) u[rowI + c] -= rik * u[rowK + c];
            }
            for (int c = i + 1; c < d; c++) u[rowI + c] *= inv;
        }
        return u;
    }
}
