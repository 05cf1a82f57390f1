package org.nowag.kernels.vq;

import org.nowag.kernels.loss.ProxyLoss;

/**
 * The sums NoWag-VQ takes over a whole matrix, each over one k-means block of rows [rowFrom, rowTo) of a row-major
 * array, in double, element order. Callers add the block sums in block order, in one task or on the driver after
 * the executors' blocks come back, so both ways give the same bits. The array may hold the whole matrix (one task)
 * or only the block (an executor, rowFrom = 0).
 */
public final class VqBlockSums {
    private VqBlockSums() {}

    /** sum_i w_ij^2 per column j, for rows rowFrom .. rowTo - 1. */
    public static double[] columnSumSquares(float[] w, int rowFrom, int rowTo, int cols) {
        double[] acc = new double[cols];
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = 0, k = i * cols; j < cols; j++, k++) {
                float x = w[k];
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("w[" + (i - rowFrom) + ", " + j + "] of the block = " + x
                            + ": weights must be finite");
                }
                acc[j] += (double) x * x;
            }
        }
        return acc;
    }

    /** total[j] += part[j], for adding block sums in block order. */
    public static void addInto(double[] total, double[] part) {
        for (int j = 0; j < total.length; j++) total[j] += part[j];
    }

    /** sum of W_bar over the rows (for the padding value, the mean of W_bar). */
    public static double sum(float[] wBar, int rowFrom, int rowTo, int cols) {
        double sum = 0;
        for (int k = rowFrom * cols; k < rowTo * cols; k++) sum += wBar[k];
        return sum;
    }

    /** sum s_j W_bar_ij^2: the proxy loss of an all-zero Q over the rows. */
    public static double energy(float[] wBar, int rowFrom, int rowTo, int cols, float[] s) {
        double sum = 0;
        for (int i = rowFrom; i < rowTo; i++) {
            for (int j = 0, k = i * cols; j < cols; j++, k++) {
                sum += ProxyLoss.term(s == null ? 1f : s[j], wBar[k]);
            }
        }
        return sum;
    }

    /**
     * Proxy loss sum s_j (W_bar_ij - Q_ij)^2 and data-aware loss sum s_j (W_ij - W_hat_ij)^2 over the rows, Q and
     * W_hat decoded from codes and codebook the way {@link VqDecoder} does (padding dropped). codes are indexed like
     * the array: row i's codes at i * groups.
     *
     * @return {proxy loss, data-aware loss}
     */
    public static double[] losses(float[] w, float[] wBar, int rowFrom, int rowTo, VqGeometry geo, int[] codes,
                                  float[] codebook, float[] rowNorms, float[] colNorms, float[] s) {
        int cols = geo.cols;
        int d = geo.dim;
        double proxy = 0;
        double dataAware = 0;
        for (int i = rowFrom; i < rowTo; i++) {
            float r = rowNorms[i];
            for (int j = 0, k = i * cols; j < cols; j++, k++) {
                float q = codebook[codes[i * geo.groups + j / d] * d + j % d];
                float sj = s == null ? 1f : s[j];
                proxy += ProxyLoss.term(sj, (double) wBar[k] - (double) q);
                float wHat = r * q * colNorms[j];
                dataAware += ProxyLoss.term(sj, (double) w[k] - (double) wHat);
            }
        }
        return new double[] {proxy, dataAware};
    }

    /**
     * The padded subvector matrix of rows rowFrom .. rowTo - 1 (row i of W_bar, then padding() copies of pad),
     * (rowTo - rowFrom) * groups subvectors of d; W_bar itself when d divides cols and the rows are all of it.
     */
    public static float[] subvectors(float[] wBar, int rowFrom, int rowTo, VqGeometry geo, float pad) {
        int cols = geo.cols;
        if (geo.padding() == 0 && rowFrom == 0 && rowTo * cols == wBar.length) return wBar;
        int width = geo.paddedCols;
        float[] out = new float[(rowTo - rowFrom) * width];
        for (int i = rowFrom; i < rowTo; i++) {
            int o = (i - rowFrom) * width;
            System.arraycopy(wBar, i * cols, out, o, cols);
            java.util.Arrays.fill(out, o + cols, o + width, pad);
        }
        return out;
    }

    /**
     * The padding value: the mean of W_bar (the reference pads with torch.mean of the normalized weight), from the
     * block sums added in order. Its k-means weight is 0, so it never moves a distance; it only fills the padded
     * coordinates of centroids that k-means++ draws from padded subvectors, which no update changes for members
     * whose weight there is 0.
     */
    public static float padValue(double wBarSum, long count) {
        return (float) (wBarSum / count);
    }
}
