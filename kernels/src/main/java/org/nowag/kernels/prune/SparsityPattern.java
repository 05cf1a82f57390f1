package org.nowag.kernels.prune;

import java.io.Serializable;

/** Either unstructured sparsity p over groups (row or whole matrix), or N:M along the input dimension. */
public final class SparsityPattern implements Serializable {
    public enum Group { ROW, MATRIX }

    private SparsityPattern() {}

    public static SparsityPattern unstructured(double sparsity, Group group) { throw new UnsupportedOperationException("todo"); }

    public static SparsityPattern nOfM(int n, int m) { throw new UnsupportedOperationException("todo"); }

    public boolean isNOfM() { throw new UnsupportedOperationException("todo"); }
    public double sparsity() { throw new UnsupportedOperationException("todo"); }
    public Group group() { throw new UnsupportedOperationException("todo"); }
    public int n() { throw new UnsupportedOperationException("todo"); }
    public int m() { throw new UnsupportedOperationException("todo"); }

    /** How many weights a group of groupSize keeps: Math.round((1 - p) * groupSize) for unstructured. */
    public long keptPerGroup(long groupSize) { throw new UnsupportedOperationException("todo"); }

    /** Throws IllegalArgumentException with a clear message if this pattern cannot apply to [rows, cols]. */
    public void checkShape(long rows, long cols) { throw new UnsupportedOperationException("todo"); }

    /** "unstructured-0.5-matrix", "2:4" ... stable text for reports and plan fingerprints. */
    @Override public String toString() { throw new UnsupportedOperationException("todo"); }
}
