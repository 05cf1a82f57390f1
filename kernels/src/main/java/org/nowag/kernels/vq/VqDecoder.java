package org.nowag.kernels.vq;

/**
 * W_hat = diag(r) Q diag(c) with Q[i, b*d + t] = codebook[code(i, b), t]. The kernel and `decompress` both call this,
 * so a stored model decodes to exactly the W_hat the kernel reported (same float operations in the same order).
 */
public final class VqDecoder {
    private VqDecoder() {}

    /** Q in normalized space, [rows, cols] row-major. */
    public static float[] normalized(int[] codes, float[] codebook, int d, int rows, int cols) {
        check(codes, codebook, d, rows, cols);
        float[] q = new float[rows * cols];
        for (int g = 0; g < codes.length; g++) {
            System.arraycopy(codebook, codes[g] * d, q, g * d, d);
        }
        return q;
    }

    /** Denormalized: r_i * Q_ij * c_j, the same float order as NoWagNormalizer.denormalize. */
    public static float[] decode(int[] codes, float[] codebook, int d, int rows, int cols, float[] rowNorms, float[] colNorms) {
        float[] q = normalized(codes, codebook, d, rows, cols);
        if (rowNorms.length != rows || colNorms.length != cols) {
            throw new IllegalArgumentException("norms have lengths " + rowNorms.length + " and " + colNorms.length
                    + ", expected " + rows + " and " + cols);
        }
        for (int i = 0, k = 0; i < rows; i++) {
            float r = rowNorms[i];
            for (int j = 0; j < cols; j++, k++) {
                q[k] = r * q[k] * colNorms[j];
            }
        }
        return q;
    }

    private static void check(int[] codes, float[] codebook, int d, int rows, int cols) {
        if (d < 1 || cols % d != 0) {
            throw new IllegalArgumentException("d_in=" + cols + " is not divisible by the subvector dimension " + d);
        }
        if ((long) codes.length * d != (long) rows * cols) {
            throw new IllegalArgumentException(codes.length + " codes of " + d + " values do not fill [" + rows + ", " + cols + "]");
        }
        if (codebook.length % d != 0) {
            throw new IllegalArgumentException("codebook length " + codebook.length + " is not a multiple of d=" + d);
        }
        int k = codebook.length / d;
        for (int g = 0; g < codes.length; g++) {
            if (codes[g] < 0 || codes[g] >= k) {
                throw new IllegalArgumentException("code " + g + " = " + codes[g] + " is outside the codebook [0, " + k + ")");
            }
        }
    }
}
