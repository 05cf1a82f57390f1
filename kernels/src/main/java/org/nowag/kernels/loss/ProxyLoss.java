package org.nowag.kernels.loss;

import org.nowag.kernels.Checks;

/** The losses every method reports, so methods compare on one scale. s == null means data-free (all ones). */
public final class ProxyLoss {
    private ProxyLoss() {}

    /** NoWag proxy loss sum_ij s_j (W_bar_ij - Q_ij)^2 in normalized space (double accumulation). */
    public static double normalized(float[] wBar, float[] qBar, int rows, int cols, float[] s) {
        return weightedSquaredError(wBar, qBar, rows, cols, s, "wBar", "qBar");
    }

    /** Data-aware loss estimated with the diagonal: sum_ij s_j (W_ij - W_hat_ij)^2 in the original space. */
    public static double dataAware(float[] w, float[] wHat, int rows, int cols, float[] s) {
        return weightedSquaredError(w, wHat, rows, cols, s, "w", "wHat");
    }

    /**
     * One weighted term s_j * d^2, d taken in double so the difference of two floats is exact.
     * Shared with the pruner so its reported losses equal these functions bit for bit.
     */
    public static double term(float s, double d) {
        return s * d * d;
    }

    private static double weightedSquaredError(float[] a, float[] b, int rows, int cols, float[] s,
                                               String aName, String bName) {
        Checks.matrix(a, rows, cols, aName);
        Checks.matrix(b, rows, cols, bName);
        Checks.activationDiagonal(s, cols);
        double sum = 0;
        for (int i = 0, k = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++, k++) {
                double d = (double) a[k] - (double) b[k];
                sum += term(s == null ? 1f : s[j], d);
            }
        }
        return sum;
    }
}
