package org.nowag.kernels.prune;

import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.simd.Simd;
import org.nowag.kernels.simd.VectorLoops;

/**
 * The importance score of each method, in one place, in a fixed float order (tests reproduce it exactly).
 * Inputs are already checked (finite w, s >= 0), so every score is a non-negative float, never NaN;
 * per-column factors get {@code + 0.0f} so a -0.0 in s cannot produce a -0.0 score.
 */
final class Importance {
    private Importance() {}

    static float[] scores(PruneMethod method, float[] w, int rows, int cols,
                          float[] colNorms, float[] rowNorms, float[] s) {
        switch (method) {
            case MAGNITUDE:
                return magnitude(w);
            case WANDA:
                return wanda(w, rows, cols, s);
            case NOWAG_P:
                return nowagP(w, rows, cols, colNorms, rowNorms, s);
            default:
                throw new IllegalArgumentException("unknown method " + method);
        }
    }

    /** |W_ij|; s plays no part. */
    static float[] magnitude(float[] w) {
        float[] out = new float[w.length];
        for (int k = Simd.ENABLED ? VectorLoops.abs(w, out) : 0; k < w.length; k++) {
            out[k] = Math.abs(w[k]);
        }
        return out;
    }

    /** |W_ij| * sqrt(s_j) (Wanda: |W| times the input feature norm ||X_j||_2 = sqrt(s_j)). */
    static float[] wanda(float[] w, int rows, int cols, float[] s) {
        float[] featureNorm = new float[cols];
        for (int j = 0; j < cols; j++) {
            featureNorm[j] = (s == null ? 1f : (float) Math.sqrt(s[j])) + 0.0f;
        }
        float[] out = new float[w.length];
        for (int i = 0; i < rows; i++) {
            wandaRow(w, i * cols, cols, featureNorm, out);
        }
        return out;
    }

    // Per-row methods: compiled by the JIT after a few rows instead of waiting for on-stack replacement.
    private static void wandaRow(float[] w, int offset, int cols, float[] featureNorm, float[] out) {
        for (int j = Simd.ENABLED ? VectorLoops.absTimes(w, offset, cols, featureNorm, out) : 0; j < cols; j++) {
            out[offset + j] = Math.abs(w[offset + j]) * featureNorm[j];
        }
    }

    /**
     * W_bar_ij^2 * s_j: the reference's "wanda" criterion applied to the normalized weight
     * (src/sparse_compress.py, SparseLinear.sparsify: normalized_weight**2 * hessianDiag).
     */
    static float[] nowagP(float[] w, int rows, int cols, float[] colNorms, float[] rowNorms, float[] s) {
        float[] weight = new float[cols];
        for (int j = 0; j < cols; j++) {
            weight[j] = (s == null ? 1f : s[j]) + 0.0f;
        }
        float[] out = new float[w.length];
        for (int i = 0; i < rows; i++) {
            nowagPRow(w, i * cols, cols, colNorms, rowNorms[i], weight, out);
        }
        return out;
    }

    private static void nowagPRow(float[] w, int offset, int cols, float[] colNorms, float r, float[] weight,
                                  float[] out) {
        int start = Simd.ENABLED ? VectorLoops.normalizedSquareTimes(w, offset, cols, colNorms, r, weight, out) : 0;
        for (int j = start; j < cols; j++) {
            float wb = NoWagNormalizer.normalized(w[offset + j], colNorms[j], r);
            out[offset + j] = wb * wb * weight[j];
        }
    }
}
