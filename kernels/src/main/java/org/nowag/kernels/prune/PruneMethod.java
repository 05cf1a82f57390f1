package org.nowag.kernels.prune;

/** Pruning importance rules. */
public enum PruneMethod {
    /** |W_ij|; default group: the whole matrix. */
    MAGNITUDE,
    /** |W_ij| * sqrt(s_j); default group: the output row (Wanda paper). */
    WANDA,
    /** W_bar_ij^2 * s_j on NoWag-normalized weights; default group: the whole matrix (NoWag reference). */
    NOWAG_P;

    public SparsityPattern.Group defaultGroup() { throw new UnsupportedOperationException("todo"); }
}
