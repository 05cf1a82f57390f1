package org.nowag.kernels.sparsegpt;

import org.nowag.kernels.Checks;

/**
 * The layer's real output error on the calibration data, ||(W - W_hat) X^T||_F^2 = sum_r d_r (X^T X) d_r^T with
 * d_r row r of W - W_hat: what SparseGPT minimises, computed from the full X^T X (not its diagonal). Double.
 *
 * <p>By symmetry, d H d^T = sum_i H_ii d_i^2 + 2 sum_i d_i sum_{j<i} H_ij d_j, so only the diagonal and the strict
 * lower triangle of H are read: what {@link SparseGpt#pruneInPlace} leaves of X^T X once U sits in the upper
 * triangle. The products D L^T run as ND4J double GEMMs over chunks of rows of D and of L (each operand and product
 * at most {@link OffHeapMatrix#CHUNK_DOUBLES} doubles), so nothing of size rows x d or d x d is copied; the only heap
 * scratch is one chunk of D^T.
 */
public final class OutputLoss {
    private static final int L_ROWS = 512;

    private OutputLoss() {}

    /** @param xtx X^T X row-major [cols, cols], symmetric (its strict lower triangle and diagonal are read) */
    public static double of(float[] w, float[] wHat, int rows, int cols, double[] xtx) {
        checkGram(xtx, cols);
        return ofLowerTriangle(w, wHat, rows, cols, xtx, diagonal(xtx, cols));
    }

    /** The diagonal of a row-major [d, d] matrix: save it before {@link SparseGpt#pruneInPlace} overwrites it. */
    public static double[] diagonal(double[] xtx, int d) {
        checkGram(xtx, d);
        double[] diag = new double[d];
        for (int j = 0; j < d; j++) diag[j] = xtx[j * d + j];
        return diag;
    }

    /**
     * @param lower row-major [cols, cols] whose strict lower triangle is X^T X's (the rest is not read)
     * @param diag  X^T X's diagonal
     */
    public static double ofLowerTriangle(float[] w, float[] wHat, int rows, int cols, double[] lower, double[] diag) {
        return ofLowerTriangle(w, wHat, rows, cols, lower, diag, OffHeapMatrix.CHUNK_DOUBLES);
    }

    static double ofLowerTriangle(float[] w, float[] wHat, int rows, int cols, double[] lower, double[] diag,
                                  int chunkDoubles) {
        Checks.matrix(w, rows, cols, "w");
        Checks.matrix(wHat, rows, cols, "wHat");
        checkGram(lower, cols);
        Checks.length(diag, cols, "diag");
        int rowChunk = OffHeapMatrix.chunkRows(cols, rows, chunkDoubles);
        // at most 512 rows of L per product, so the products follow the triangle (about half of a full d x d)
        int lChunk = Math.max(1, Math.min(Math.min(L_ROWS, OffHeapMatrix.chunkRows(cols, cols, chunkDoubles)),
                chunkDoubles / rowChunk));
        // D^T = (W - W_hat)^T for the chunk's rows, [cols, rowChunk], exact in double: ND4J gets the rows of L and
        // D^T both row-major and gives back (L D^T)^T = D L^T with the chunk's rows contiguous
        double[] dT = new double[cols * rowChunk];
        double[] pRow = new double[lChunk];
        double diagonalPart = 0;
        double lowerPart = 0;
        for (int r0 = 0; r0 < rows; r0 += rowChunk) {
            int r1 = Math.min(rows, r0 + rowChunk);
            int n = r1 - r0;
            for (int r = r0; r < r1; r += 8) {  // eight rows at a time: whole cache lines of D^T written at once
                int q1 = Math.min(8, r1 - r);
                for (int j = 0; j < cols; j++) {
                    int at = j * n + (r - r0);
                    for (int q = 0; q < q1; q++) {
                        int k = (r + q) * cols + j;
                        double v = (double) w[k] - (double) wHat[k];
                        dT[at + q] = v;
                        diagonalPart += diag[j] * v * v;
                    }
                }
            }
            for (int i0 = 1; i0 < cols; i0 += lChunk) {  // row 0 of L is empty
                int i1 = Math.min(cols, i0 + lChunk);
                // rows [i0, i1) of L use columns [0, i1 - 1) only: the first i1 - 1 rows of D^T
                int inner = i1 - 1;
                try (OffHeapMatrix lm = OffHeapMatrix.zeros(i1 - i0, inner);
                     OffHeapMatrix dm = OffHeapMatrix.zeros(inner, n)) {
                    for (int i = i0; i < i1; i++) lm.put(i - i0, 0, lower, i * cols, i);
                    dm.put(0, 0, dT, 0, inner * n);
                    try (OffHeapMatrix p = OffHeapMatrix.productTransposed(lm, dm)) {
                        for (int r = r0; r < r1; r++) {
                            p.get(r - r0, 0, pRow, 0, i1 - i0);
                            int off = r * cols + i0;
                            for (int c = 0; c < i1 - i0; c++) {
                                lowerPart += ((double) w[off + c] - (double) wHat[off + c]) * pRow[c];
                            }
                        }
                    }
                }
            }
        }
        return diagonalPart + 2 * lowerPart;
    }

    private static void checkGram(double[] xtx, int cols) {
        if (xtx == null || xtx.length != (long) cols * cols) {
            throw new IllegalArgumentException("X^T X must be [" + cols + ", " + cols + "] for d_in=" + cols);
        }
    }
}
