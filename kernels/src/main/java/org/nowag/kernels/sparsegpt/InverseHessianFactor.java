package org.nowag.kernels.sparsegpt;

/**
 * The factor SparseGPT sweeps with: U, upper triangular, with U^T U = H^-1 for the damped Hessian
 * H = X^T X + lambda I. Row j of U is row j of inv(H[j:, j:]) divided by the square root of its diagonal, so
 * U_jj^2 = [inv(H[j:, j:])]_jj is the OBS denominator of column j once columns before j are fixed, and U[j, j:] / U_jj
 * the update it spreads over the later columns (the GPTQ/SparseGPT identity).
 *
 * <p>Preparation as the reference's {@code SparseGPT.fasterprune} (github IST-DASLab/sparsegpt, sparsegpt.py):
 * a dead input (H_jj == 0, it never fired) gets H_jj = 1 (its weights are zeroed by the caller), then
 * lambda = percdamp * mean(diag H) (percdamp 0.01 there) is added to the diagonal. The reference then takes three
 * O(d^3) steps (Cholesky, cholesky_inverse, upper Cholesky of the inverse); we take two: the "reversed" Cholesky
 * H = R R^T with R upper (the ordinary Cholesky of H with rows and columns in reverse order), then U = R^-1, since
 * H^-1 = R^-T R^-1 = U^T U. All in double.
 *
 * <p>Memory: both steps work in place in the one d x d array that holds X^T X, on its upper triangle only (the
 * strict lower triangle is never read or written, so it still holds X^T X for {@link OutputLoss#ofLowerTriangle}).
 * Both are blocked by panels of {@link #PANEL} columns, left-looking: of the about d^3/3 multiply-adds (d^3/6 per
 * step), all but O(d^2 x panel) are each panel's update from the part already done, run as ND4J double GEMMs in row
 * chunks of at most {@link OffHeapMatrix#CHUNK_DOUBLES} doubles, so ND4J never holds more than a few such chunks
 * and one panel (panel x d doubles) off the heap, whatever d is (operands it needs transposed are staged on the heap
 * in the same bounded pieces). The small diagonal blocks and the triangular solves against them stay in plain Java. The unblocked algorithms these equal (up to rounding) are
 * {@code SlowInverseHessianFactor} in the test sources.
 */
public final class InverseHessianFactor {
    /** Columns per panel: large enough that the GEMMs dominate, small enough that the Java parts stay O(d^2 x 128). */
    static final int PANEL = 128;
    /** The largest d whose d x d array a Java int index reaches (46340^2 < 2^31 - 1). */
    public static final int MAX_DIM = 46340;

    private InverseHessianFactor() {}

    /**
     * @param h X^T X, row-major [d, d], copied (not changed)
     * @param dead out: dead[j] set when H_jj was 0
     * @return U row-major [d, d], zero below the diagonal
     */
    public static double[] of(double[] h, int d, double percDamp, boolean[] dead) {
        double[] a = h.clone();
        factorInPlace(a, d, percDamp, dead);
        for (int i = 1; i < d; i++) java.util.Arrays.fill(a, i * d, i * d + i, 0.0);
        return a;
    }

    /**
     * Replaces the upper triangle (with the diagonal) of {@code a} = X^T X [d, d] by U; the strict lower triangle is
     * left as it was. Only the upper triangle of X^T X is read.
     *
     * @param dead out: dead[j] set when H_jj was 0
     */
    public static void factorInPlace(double[] a, int d, double percDamp, boolean[] dead) {
        factorInPlace(a, d, percDamp, dead, PANEL, OffHeapMatrix.CHUNK_DOUBLES);
    }

    static void factorInPlace(double[] a, int d, double percDamp, boolean[] dead, int panel, int chunkDoubles) {
        checkDim(d);
        if (a.length != d * d) throw new IllegalArgumentException("X^T X has " + a.length + " elements, not " + d + "^2");
        double lambda = damp(a, d, percDamp, dead);
        reversedCholesky(a, d, lambda, panel, chunkDoubles);
        upperInverse(a, d, panel, chunkDoubles);
    }

    /** Refuses a d whose d x d array an int cannot index. */
    public static void checkDim(int d) {
        if (d < 1 || d > MAX_DIM) {
            throw new IllegalArgumentException("d_in=" + d + ": SparseGPT holds X^T X as one double[d_in * d_in] "
                    + "indexed by int, so d_in must be between 1 and " + MAX_DIM);
        }
    }

    /** Dead inputs get H_jj = 1, then lambda = percDamp * mean(diag H) is added to the diagonal; returns lambda. */
    static double damp(double[] a, int d, double percDamp, boolean[] dead) {
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
        return lambda;
    }

    /**
     * H = R R^T with R upper, in place on the upper triangle: panels [k0, k1) from the last to the first. Each
     * panel's columns first lose the contribution of the columns after it, A[0:k1, k0:k1] -= R[0:k1, k1:] R[k0:k1,
     * k1:]^T (GEMM), then are finished column by column from the right as in the unblocked algorithm, the sums
     * running over the panel only.
     */
    static void reversedCholesky(double[] a, int d, double lambda, int panel, int chunkDoubles) {
        for (int k1 = d; k1 > 0; ) {
            int k0 = Math.max(0, k1 - panel);
            subtractLaterColumns(a, d, k0, k1, chunkDoubles);
            finishPanel(a, d, k0, k1, lambda);
            k1 = k0;
        }
    }

    /** A[i, c] -= sum_{t >= k1} R[i, t] R[c, t] for i < k1, c in [k0, k1), c >= i. */
    private static void subtractLaterColumns(double[] a, int d, int k0, int k1, int chunkDoubles) {
        int inner = d - k1;
        if (inner == 0) return;
        int width = k1 - k0;
        // R[k0:k1, k1:]^T, [inner, width], transposed on the heap so ND4J gets it row-major
        double[] laterT = new double[inner * width];
        OffHeapMatrix.transpose(a, k0 * d + k1, d, width, inner, laterT, width);
        int chunk = OffHeapMatrix.chunkRows(Math.max(inner, width), k1, chunkDoubles);
        double[] column = new double[chunk];
        try (OffHeapMatrix later = OffHeapMatrix.zeros(inner, width)) {
            later.put(0, 0, laterT, 0, laterT.length);
            laterT = null;
            for (int i0 = 0; i0 < k1; i0 += chunk) {
                int i1 = Math.min(k1, i0 + chunk);
                try (OffHeapMatrix rows = OffHeapMatrix.zeros(i1 - i0, inner)) {
                    for (int i = i0; i < i1; i++) rows.put(i - i0, 0, a, i * d + k1, inner);
                    try (OffHeapMatrix pt = OffHeapMatrix.productTransposed(rows, later)) {
                        for (int c = 0; c < width; c++) {
                            pt.get(c, 0, column, 0, i1 - i0);
                            int col = k0 + c;
                            int last = Math.min(i1, col + 1);  // inside the diagonal block, the upper part only
                            for (int i = i0; i < last; i++) a[i * d + col] -= column[i - i0];
                        }
                    }
                }
            }
        }
    }

    /**
     * Columns j = k1-1 .. k0 of R, all rows i <= j: R_jj = sqrt(A_jj - sum_{j<t<k1} R_jt^2),
     * R_ij = (A_ij - sum_{j<t<k1} R_it R_jt) / R_jj. The diagonal block first, column by column; then each row above
     * it on its own (a triangular solve against the finished block, which stays in cache), with the same operations
     * per element as the column-by-column order.
     */
    private static void finishPanel(double[] a, int d, int k0, int k1, double lambda) {
        for (int j = k1 - 1; j >= k0; j--) {
            int rowJ = j * d;
            double sum = a[rowJ + j];
            for (int t = j + 1; t < k1; t++) sum -= a[rowJ + t] * a[rowJ + t];
            if (!(sum > 0)) {
                throw new IllegalArgumentException("X^T X + lambda I is not positive definite (pivot " + j + " is "
                        + sum + " after damping lambda=" + lambda + "); X^T X must be a symmetric positive "
                        + "semi-definite Gram matrix (recompute the calibration, or raise the damping)");
            }
            double rjj = Math.sqrt(sum);
            a[rowJ + j] = rjj;
            for (int i = k0; i < j; i++) {
                int rowI = i * d;
                double s = a[rowI + j];
                for (int t = j + 1; t < k1; t++) s -= a[rowI + t] * a[rowJ + t];
                a[rowI + j] = s / rjj;
            }
        }
        for (int i = 0; i < k0; i++) {
            int rowI = i * d;
            for (int j = k1 - 1; j >= k0; j--) {
                int rowJ = j * d;
                double s = a[rowI + j];
                for (int t = j + 1; t < k1; t++) s -= a[rowI + t] * a[rowJ + t];
                a[rowI + j] = s / a[rowJ + j];
            }
        }
    }

    /**
     * U = R^-1 in place on the upper triangle: panels [j0, j1) from the first to the last. The diagonal block is
     * inverted in Java; the block above it becomes U12 = -U11 (R12 U22), U11 = the already inverted top-left block,
     * by two chunked GEMMs (S = R12 U22, then U11 S one chunk of rows at a time, which only reads rows of S at or
     * below the chunk's first row, so a chunk can overwrite its own rows of R12).
     */
    static void upperInverse(double[] a, int d, int panel, int chunkDoubles) {
        for (int j0 = 0; j0 < d; j0 += panel) {
            int j1 = Math.min(d, j0 + panel);
            invertDiagonalBlock(a, d, j0, j1);
            if (j0 > 0) inverseAbove(a, d, j0, j1, chunkDoubles);
        }
    }

    /** Back substitution row by row from the end, within the block [j0, j1) (the old unblocked loop, per block). */
    private static void invertDiagonalBlock(double[] a, int d, int j0, int j1) {
        double[] sum = new double[j1 - j0];
        for (int i = j1 - 1; i >= j0; i--) {
            int rowI = i * d;
            double inv = 1.0 / a[rowI + i];
            // row i of U: (R U)_{i, c} = 0 for c > i  =>  U_ic = -inv * sum_{k=i+1..c} R_ik U_kc, summed aside
            // because row i still holds R_ik until it is done
            java.util.Arrays.fill(sum, 0.0);
            for (int k = i + 1; k < j1; k++) {
                double rik = a[rowI + k];
                if (rik == 0) continue;
                int rowK = k * d;
                for (int c = k; c < j1; c++) sum[c - j0] += rik * a[rowK + c];
            }
            for (int c = i + 1; c < j1; c++) a[rowI + c] = -sum[c - j0] * inv;
            a[rowI + i] = inv;
        }
    }

    private static void inverseAbove(double[] a, int d, int j0, int j1, int chunkDoubles) {
        int width = j1 - j0;
        try (OffHeapMatrix u22 = OffHeapMatrix.zeros(width, width)) {
            for (int c = 0; c < width; c++) u22.put(c, c, a, (j0 + c) * d + j0 + c, width - c);
            double[] s = new double[j0 * width];  // S = R12 U22, [j0, width] on the heap (at most 46340 x 128)
            int chunk = OffHeapMatrix.chunkRows(width, j0, chunkDoubles);
            double[] column = new double[chunk];
            for (int i0 = 0; i0 < j0; i0 += chunk) {
                int i1 = Math.min(j0, i0 + chunk);
                try (OffHeapMatrix r12 = OffHeapMatrix.zeros(i1 - i0, width)) {
                    for (int i = i0; i < i1; i++) r12.put(i - i0, 0, a, i * d + j0, width);
                    try (OffHeapMatrix st = OffHeapMatrix.productTransposed(r12, u22)) {
                        for (int c = 0; c < width; c++) {
                            st.get(c, 0, column, 0, i1 - i0);
                            for (int i = i0; i < i1; i++) s[i * width + c] = column[i - i0];
                        }
                    }
                }
            }
            for (int i0 = 0; i0 < j0; ) {
                int inner = j0 - i0;
                int rows = OffHeapMatrix.chunkRows(inner, j0 - i0, chunkDoubles);
                int i1 = i0 + rows;
                if (column.length < rows) column = new double[rows];
                try (OffHeapMatrix u11 = OffHeapMatrix.zeros(rows, inner);
                     OffHeapMatrix sRows = OffHeapMatrix.zeros(inner, width)) {
                    // U11[i, i0:j0] is zero left of the diagonal (the array holds X^T X there: copy from i on)
                    for (int i = i0; i < i1; i++) u11.put(i - i0, i - i0, a, i * d + i, j0 - i);
                    sRows.put(0, 0, s, i0 * width, inner * width);
                    try (OffHeapMatrix ut = OffHeapMatrix.productTransposed(u11, sRows)) {
                        for (int c = 0; c < width; c++) {
                            ut.get(c, 0, column, 0, rows);
                            int col = j0 + c;
                            for (int i = i0; i < i1; i++) a[i * d + col] = -column[i - i0];
                        }
                    }
                }
                i0 = i1;
            }
        }
    }
}
