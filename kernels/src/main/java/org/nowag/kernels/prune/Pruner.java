package org.nowag.kernels.prune;

/**
 * Prunes a row block W [rows, cols] (the whole matrix when the group is MATRIX).
 * colNorms are the NoWag column norms of the WHOLE matrix (from NoWagNormalizer.columnNorms over all blocks);
 * s is the diagonal of X^T X for this layer, length cols, or null for data-free (all ones).
 * Ties in importance: the lower row-major index wins.
 */
public final class Pruner {
    private Pruner() {}

    public static PruneResult prune(PruneMethod method, SparsityPattern pattern,
                                    float[] w, int rows, int cols, float[] colNorms, float[] s) {
        throw new UnsupportedOperationException("todo");
    }

    /** Importance of every element (row-major), as the method defines it. */
    public static float[] importance(PruneMethod method, float[] w, int rows, int cols,
                                     float[] colNorms, float[] rowNorms, float[] s) {
        throw new UnsupportedOperationException("todo");
    }
}
