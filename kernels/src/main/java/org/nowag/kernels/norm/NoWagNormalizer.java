package org.nowag.kernels.norm;

import org.nowag.kernels.Checks;
import org.nowag.kernels.simd.Simd;
import org.nowag.kernels.simd.VectorLoops;

/**
 * NoWag normalization of a weight matrix W [rows = d_out, cols = d_in], row-major float[].
 * c_j = ||W[:, j]||_2 + EPS ; W' = W diag(c)^-1 ; r_i = ||W'[i, :]||_2 + EPS ; W_bar = diag(r)^-1 W'.
 * Column norms couple all rows, so a row block can only be normalized once the column sums of squares
 * of every block are combined: accumulate per block, then {@link #columnNorms}.
 *
 * <p>Order, norm and eps follow the NoWag reference: config/compress/prune.yaml sets
 * {@code norm_order: [0, 1]} (dim 0 first = one norm per input column, then dim 1 = one per output row),
 * {@code p: 2} and {@code zero: [false, false]} (no mean removal); src/utils/normalizer.py
 * ({@code Normalizer.normalize_init}) adds {@code eps = 1e-5} to each norm and divides before the next norm
 * is taken. Sums of squares are accumulated in double (the reference uses float32 torch.norm) so that
 * row blocks combine exactly and 8192-term sums do not lose digits.
 *
 * <p>Float arithmetic order (tests and the pruner rely on it): W'_ij = w_ij / c_j, W_bar_ij = W'_ij / r_i,
 * each a single float division.
 */
public final class NoWagNormalizer {
    /** eps added to every norm: src/utils/normalizer.py, Normalizer.normalize_init(eps = 1e-5). */
    public static final float EPS = 1e-5f;

    private NoWagNormalizer() {}

    /** Adds sum_i W[i, j]^2 of this block into acc[j] (double, so blocks combine exactly). */
    public static void accumulateColumnSumSquares(float[] w, int rows, int cols, double[] acc) {
        Checks.matrix(w, rows, cols, "w");
        Checks.length(acc, cols, "acc");
        for (int i = 0; i < rows; i++) {
            accumulateRow(w, i * cols, cols, acc);
        }
    }

    // Hot loops live in per-row methods: the JIT compiles a method called per row far sooner than it
    // on-stack-replaces one loop running over 235M elements.
    // The vector path stops before a non-finite value; the scalar loop then reports it.
    private static void accumulateRow(float[] w, int offset, int cols, double[] acc) {
        int j = Simd.ENABLED ? VectorLoops.accumulateSquares(w, offset, cols, acc) : 0;
        for (; j < cols; j++) {
            float x = w[offset + j];
            if (!Float.isFinite(x)) {
                throw Checks.nonFinite("w", x, offset + j, cols);
            }
            acc[j] += (double) x * x;
        }
    }

    /** c_j = sqrt(sumSquares[j]) + EPS. */
    public static float[] columnNorms(double[] columnSumSquares) {
        if (columnSumSquares == null) {
            throw new IllegalArgumentException("columnSumSquares is null");
        }
        float[] c = new float[columnSumSquares.length];
        for (int j = 0; j < c.length; j++) {
            double ss = columnSumSquares[j];
            if (!Double.isFinite(ss) || ss < 0) {
                throw new IllegalArgumentException("columnSumSquares[" + j + "] = " + ss + ": must be finite and >= 0");
            }
            c[j] = norm(ss);
        }
        return c;
    }

    /** r_i = ||W[i, :] / c||_2 + EPS for each row of the block. */
    public static float[] rowNorms(float[] w, int rows, int cols, float[] colNorms) {
        Checks.matrix(w, rows, cols, "w");
        Checks.positiveNorms(colNorms, cols, "colNorms");
        float[] r = new float[rows];
        int i = 0;
        if (Simd.ENABLED) {
            // The terms come from the vector loop; their sums stay sequential in column order (the scalar loop's
            // rounding), four rows at a time so that four independent additions overlap instead of each waiting
            // for the one before it.
            double[][] sq = new double[ROWS_AT_ONCE][cols];
            for (; i + ROWS_AT_ONCE <= rows; i += ROWS_AT_ONCE) {
                boolean finite = true;
                for (int q = 0; q < ROWS_AT_ONCE && finite; q++) {
                    finite = scaledSquares(w, (i + q) * cols, cols, colNorms, sq[q]);
                }
                if (!finite) break;  // the scalar loop below reports the first non-finite weight
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                double[] a0 = sq[0];
                double[] a1 = sq[1];
                double[] a2 = sq[2];
                double[] a3 = sq[3];
                for (int j = 0; j < cols; j++) {
                    s0 += a0[j];
                    s1 += a1[j];
                    s2 += a2[j];
                    s3 += a3[j];
                }
                r[i] = norm(s0);
                r[i + 1] = norm(s1);
                r[i + 2] = norm(s2);
                r[i + 3] = norm(s3);
            }
        }
        for (; i < rows; i++) {
            r[i] = rowNorm(w, i * cols, cols, colNorms);
        }
        return r;
    }

    private static final int ROWS_AT_ONCE = 4;

    /** sq[j] = the row norm's terms; false (and sq unfinished) when the row holds a non-finite weight. */
    private static boolean scaledSquares(float[] w, int offset, int cols, float[] colNorms, double[] sq) {
        for (int j = VectorLoops.scaledSquares(w, offset, cols, colNorms, sq); j < cols; j++) {
            float x = w[offset + j];
            if (!Float.isFinite(x)) {
                return false;
            }
            float scaled = x / colNorms[j];
            sq[j] = (double) scaled * scaled;
        }
        return true;
    }

    private static float rowNorm(float[] w, int offset, int cols, float[] colNorms) {
        double ss = 0;
        for (int j = 0; j < cols; j++) {
            float x = w[offset + j];
            if (!Float.isFinite(x)) {
                throw Checks.nonFinite("w", x, offset + j, cols);
            }
            float scaled = x / colNorms[j];
            ss += (double) scaled * scaled;
        }
        return norm(ss);
    }

    /** W_bar[i, j] = W[i, j] / c_j / r_i. */
    public static float[] normalize(float[] w, int rows, int cols, float[] colNorms, float[] rowNorms) {
        Checks.matrix(w, rows, cols, "w");
        Checks.positiveNorms(colNorms, cols, "colNorms");
        Checks.positiveNorms(rowNorms, rows, "rowNorms");
        float[] out = new float[w.length];
        for (int i = 0; i < rows; i++) {
            normalizeRow(w, i * cols, cols, colNorms, rowNorms[i], out);
        }
        return out;
    }

    private static void normalizeRow(float[] w, int offset, int cols, float[] colNorms, float r, float[] out) {
        int j = Simd.ENABLED ? VectorLoops.normalizeRow(w, offset, cols, colNorms, r, out) : 0;
        for (; j < cols; j++) {
            out[offset + j] = normalized(w[offset + j], colNorms[j], r);
        }
    }

    /** The inverse: W[i, j] = r_i * W_bar[i, j] * c_j. */
    public static float[] denormalize(float[] wBar, int rows, int cols, float[] rowNorms, float[] colNorms) {
        Checks.matrix(wBar, rows, cols, "wBar");
        Checks.length(rowNorms, rows, "rowNorms");
        Checks.length(colNorms, cols, "colNorms");
        float[] out = new float[wBar.length];
        for (int i = 0, k = 0; i < rows; i++) {
            float r = rowNorms[i];
            for (int j = 0; j < cols; j++, k++) {
                out[k] = r * wBar[k] * colNorms[j];
            }
        }
        return out;
    }

    /**
     * One element of W_bar, in the fixed float order every kernel uses (column first, then row, as
     * the reference's norm_order [0, 1] divides), so importances and losses agree bit for bit.
     */
    public static float normalized(float w, float colNorm, float rowNorm) {
        return w / colNorm / rowNorm;
    }

    /** sqrt(sum of squares) + EPS, rounded to float once. */
    private static float norm(double sumSquares) {
        return (float) (Math.sqrt(sumSquares) + EPS);
    }
}
