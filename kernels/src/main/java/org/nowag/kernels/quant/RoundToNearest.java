package org.nowag.kernels.quant;

import org.nowag.kernels.Checks;

/**
 * Per-output-channel round-to-nearest with an asymmetric grid per group of inputs (the RTN baseline of GPTQ, AWQ
 * and the low-bit papers). Each row is cut into groups of {@link RtnConfig#groupSize} consecutive inputs; a group
 * gets the grid {@code scale * (q - zero)}, q = 0 .. 2^bits - 1, spanning [min(x_min, 0), max(x_max, 0)] (0 always
 * on the range, as GPTQ's quantizer does, so the integer zero point lies in [0, 2^bits - 1]), and each weight the
 * nearest grid point.
 *
 * <p>What is stored is what decodes: the scale is rounded <em>up</em> to binary16 before the zero point and the
 * codes are chosen, so the grid still covers the group and every weight lands within half a (stored) step of its
 * value. Rounding is half-to-even in double (torch.round's rule). Deterministic; no data is needed.
 */
public final class RoundToNearest {
    /** Largest finite binary16 value; a larger step cannot be stored. */
    private static final float HALF_MAX = 65504f;

    private RoundToNearest() {}

    public static RtnResult quantize(float[] w, int rows, int cols, RtnConfig config) {
        if (config == null) throw new IllegalArgumentException("config must not be null");
        Checks.matrix(w, rows, cols, "w");
        Checks.finite(w, cols, "w");
        int g = config.groupSize();
        int groups = config.groupsPerRow(cols);
        int maxCode = config.maxCode();
        byte[] codes = new byte[w.length];
        float[] scales = new float[rows * groups];
        short[] zeros = new short[rows * groups];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < groups; k++) {
                int from = r * cols + k * g;
                int to = r * cols + Math.min(cols, (k + 1) * g);
                float lo = 0f;
                float hi = 0f;
                for (int i = from; i < to; i++) {
                    lo = Math.min(lo, w[i]);
                    hi = Math.max(hi, w[i]);
                }
                float scale = hi > lo ? halfAtLeast(((double) hi - lo) / maxCode, r, k) : 1f;
                int zero = (int) Math.rint(-(double) lo / scale);
                scales[r * groups + k] = scale;
                zeros[r * groups + k] = (short) zero;
                for (int i = from; i < to; i++) {
                    long q = (long) Math.rint(w[i] / (double) scale) + zero;
                    codes[i] = (byte) Math.max(0, Math.min(maxCode, q));
                }
            }
        }
        return new RtnResult(rows, cols, config, codes, scales, zeros);
    }

    /**
     * The smallest binary16 value >= x (x > 0): the binary16 nearest to x, one binary16 ulp up when that is below x.
     * A binary16 number has an ulp of 2^(max(e, -14) - 10) at exponent e.
     */
    static float halfAtLeast(double x, int row, int group) {
        int ulpExponent = Math.max(Math.getExponent(x), -14) - 10;
        double ulp = Math.scalb(1.0, ulpExponent);
        double h = Math.rint(x / ulp) * ulp;
        if (h < x) h += ulp;
        if (h > HALF_MAX) {
            throw new IllegalArgumentException("row " + row + ", group " + group + ": the quantization step " + x
                    + " does not fit a 16-bit float scale (largest 65504); the weights are too large for RTN here");
        }
        return (float) h;
    }
}
