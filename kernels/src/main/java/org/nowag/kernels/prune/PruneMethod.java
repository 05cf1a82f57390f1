package org.nowag.kernels.prune;

/** Pruning importance rules. */
public enum PruneMethod {
    /** |W_ij|; default group: the whole matrix. */
    MAGNITUDE,
    /** |W_ij| * sqrt(s_j); default group: the output row (Wanda paper). */
    WANDA,
    /** W_bar_ij^2 * s_j on NoWag-normalized weights; default group: the whole matrix (NoWag reference). */
    NOWAG_P;

    /**
     * NOWAG_P: the NoWag reference's UnstructuredSparse takes {@code sparse_group = kwargs.get("group", -1)}
     * and -1 ranks the flattened matrix (src/sparse_compress.py, src/utils/sparse.py generate_mask): the
     * normalization is what makes rows comparable. MAGNITUDE: one global threshold, as in the reference's
     * magnitude_unstructured_sparsity (src/utils/sparsity_fns.py). WANDA: per output row, as the Wanda paper.
     */
    public SparsityPattern.Group defaultGroup() {
        switch (this) {
            case WANDA:
                return SparsityPattern.Group.ROW;
            case MAGNITUDE:
            case NOWAG_P:
            default:
                return SparsityPattern.Group.MATRIX;
        }
    }
}
