package org.nowag.kernels.budget;

import org.nowag.kernels.loss.ProxyLoss;

/** The data-aware loss term of pruning one weight, s_j W_ij^2 in double, exactly as the pruner reports it. */
final class LossTerms {
    private LossTerms() {}

    /** s == null is data-free (s_j = 1), as everywhere in the kernels. */
    static double term(float[] s, int j, float w) {
        return ProxyLoss.term(s == null ? 1f : s[j], w);
    }
}
