package org.nowag.kernels.vq;

/**
 * W_hat = diag(r) Q diag(c) with Q[i, b*d + t] = codebook[code(i, b), t], b < ceil(d_in / d); when d does not divide
 * d_in, the last subvector of each row is padded and its padded coordinates are dropped. The kernel and `decompress` both call this,
 * so a stored model decodes to exactly the W_hat the kernel reported (same float operations in the same order).
 */
public final class VqDecoder {
    private VqDecoder() {}

    /** Q in normalized space, [rows, cols] row-major. */
    public static float[] normalized(int[] codes, float[] codebook, int d, int rows, int cols) {
        check(codes, codebook, d, rows, cols);
        float[] q = new float[rows * cols];
        int groups = (cols + d - 1) / d;
        for (int i = 0, g = 0; i < rows; i++) {
            for (int b = 0; b < groups; b++, g++) {
                int j = b * d;
                System.arraycopy(codebook, codes[g] * d, q, i * cols + j, Math.min(d, cols - j));
            }
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
        if (d < 1) throw new IllegalArgumentException("subvector dimension d=" + d + " must be >= 1");
        if ((long) codes.length != (long) rows * ((cols + d - 1) / d)) {
            throw new IllegalArgumentException(codes.length + " codes of " + d + " values do not tile [" + rows + ", "
                    + cols + "] (want rows * ceil(d_in / d) = " + (long) rows * ((cols + d - 1) / d) + ")");
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
