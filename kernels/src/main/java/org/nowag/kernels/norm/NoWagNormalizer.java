package org.nowag.kernels.norm;

/**
 * NoWag normalization of a weight matrix W [rows = d_out, cols = d_in], row-major float[].
 * c_j = ||W[:, j]||_2 + EPS ; W' = W diag(c)^-1 ; r_i = ||W'[i, :]||_2 + EPS ; W_bar = diag(r)^-1 W'.
 * Column norms couple all rows, so a row block can only be normalized once the column sums of squares
 * of every block are combined: accumulate per block, then {@link #columnNorms}.
 */
public final class NoWagNormalizer {
    /** eps added to every norm (reference: see implementation comment). */
    public static final float EPS = 1e-5f;

    private NoWagNormalizer() {}

    /** Adds sum_i W[i, j]^2 of this block into acc[j] (double, so blocks combine exactly). */
    public static void accumulateColumnSumSquares(float[] w, int rows, int cols, double[] acc) { throw new UnsupportedOperationException("todo"); }

    /** c_j = sqrt(sumSquares[j]) + EPS. */
    public static float[] columnNorms(double[] columnSumSquares) { throw new UnsupportedOperationException("todo"); }

    /** r_i = ||W[i, :] / c||_2 + EPS for each row of the block. */
    public static float[] rowNorms(float[] w, int rows, int cols, float[] colNorms) { throw new UnsupportedOperationException("todo"); }

    /** W_bar[i, j] = W[i, j] / c_j / r_i. */
    public static float[] normalize(float[] w, int rows, int cols, float[] colNorms, float[] rowNorms) { throw new UnsupportedOperationException("todo"); }

    /** The inverse: W[i, j] = r_i * W_bar[i, j] * c_j. */
    public static float[] denormalize(float[] wBar, int rows, int cols, float[] rowNorms, float[] colNorms) { throw new UnsupportedOperationException("todo"); }
}
