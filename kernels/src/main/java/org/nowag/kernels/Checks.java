package org.nowag.kernels;

/**
 * Argument checks shared by the kernels, so every entry point rejects bad shapes and non-finite numbers
 * with the same clear message before any arithmetic can turn them into silent NaN masks.
 */
public final class Checks {
    private Checks() {}

    /** A row-major [rows, cols] float matrix: positive dimensions and exactly rows * cols elements. */
    public static void matrix(float[] w, long rows, long cols, String name) {
        if (w == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(name + " shape [" + rows + ", " + cols + "] must have positive dimensions");
        }
        if ((long) w.length != rows * cols) {
            throw new IllegalArgumentException(name + ".length=" + w.length + " does not match shape ["
                    + rows + ", " + cols + "] (rows * cols = " + rows * cols + ")");
        }
    }

    /** A vector of exactly {@code length} elements. */
    public static void length(float[] v, long length, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (v.length != length) {
            throw new IllegalArgumentException(name + ".length=" + v.length + " but expected " + length);
        }
    }

    /** Same as {@link #length(float[], long, String)} for double vectors. */
    public static void length(double[] v, long length, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (v.length != length) {
            throw new IllegalArgumentException(name + ".length=" + v.length + " but expected " + length);
        }
    }

    /** Throws, naming the element, when element i of a row-major matrix is NaN or infinite. */
    public static IllegalArgumentException nonFinite(String name, float value, int i, int cols) {
        return new IllegalArgumentException(name + "[" + (i / cols) + ", " + (i % cols) + "] = " + value
                + ": weights must be finite (NaN or Inf in the input)");
    }

    /** Every element finite; the message names the first bad one by (row, col). */
    public static void finite(float[] w, int cols, String name) {
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw nonFinite(name, w[i], i, cols);
            }
        }
    }

    /**
     * The activation diagonal s_j = sum x_j^2: null (data-free) or length cols, finite and >= 0.
     * A negative or NaN s would make sqrt(s) or the score NaN, which no ordering can rank.
     */
    public static void activationDiagonal(float[] s, int cols) {
        if (s == null) {
            return;
        }
        length(s, cols, "s");
        for (int j = 0; j < s.length; j++) {
            if (!Float.isFinite(s[j]) || s[j] < 0f) {
                throw new IllegalArgumentException("s[" + j + "] = " + s[j]
                        + ": the diagonal of X^T X must be finite and >= 0");
            }
        }
    }

    /** Norm vectors divide the weights: finite and strictly positive (ours are always >= EPS). */
    public static void positiveNorms(float[] norms, long length, String name) {
        length(norms, length, name);
        for (int i = 0; i < norms.length; i++) {
            if (!Float.isFinite(norms[i]) || !(norms[i] > 0f)) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + norms[i] + ": norms must be finite and > 0");
            }
        }
    }
}
