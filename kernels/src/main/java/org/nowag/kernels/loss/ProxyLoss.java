package org.nowag.kernels.loss;

/** The losses every method reports, so methods compare on one scale. s == null means data-free (all ones). */
public final class ProxyLoss {
    private ProxyLoss() {}

    /** NoWag proxy loss sum_ij s_j (W_bar_ij - Q_ij)^2 in normalized space (double accumulation). */
    public static double normalized(float[] wBar, float[] qBar, int rows, int cols, float[] s) { throw new UnsupportedOperationException("todo"); }

    /** Data-aware loss estimated with the diagonal: sum_ij s_j (W_ij - W_hat_ij)^2 in the original space. */
    public static double dataAware(float[] w, float[] wHat, int rows, int cols, float[] s) { throw new UnsupportedOperationException("todo"); }
}
