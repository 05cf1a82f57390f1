package org.nowag.kernels.budget;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nowag.kernels.Checks;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * The exact per-row pruning curve of one matrix (Wanda's default group): lossByKept[k] is the data-aware loss when
 * every row keeps its k highest scores (ties: lower index), summed over the rows counted so far. One sort per row
 * gives all cols + 1 values of that row at once; rows add up, so row blocks are profiled anywhere and merged by
 * adding (cols + 1 doubles, whatever the number of rows). The only inexactness is the rounding of the double sums:
 * merge in block order for bit-identical curves.
 */
public final class RowLossProfile implements Serializable {
    private static final long serialVersionUID = 1L;

    private long rows;
    private int cols;
    private double[] lossByKept; // [cols + 1]

    private RowLossProfile() {}

    private RowLossProfile(long rows, int cols, double[] lossByKept) {
        this.rows = rows;
        this.cols = cols;
        this.lossByKept = lossByKept;
    }

    /** Profiles a [rows, cols] block from its scores (row-major), weights and the layer's s (null: all ones). */
    public static RowLossProfile of(float[] scores, float[] w, int rows, int cols, float[] s) {
        Checks.matrix(w, rows, cols, "w");
        Checks.length(scores, (long) rows * cols, "scores");
        Checks.activationDiagonal(s, cols);
        double[] acc = new double[cols + 1];
        long[] order = new long[cols];
        double[] prunedLoss = new double[cols + 1];
        for (int i = 0; i < rows; i++) {
            int offset = i * cols;
            // Pruning order: key ascending, and among equal keys the higher index first (the lower one is kept).
            for (int j = 0; j < cols; j++) {
                order[j] = ((long) KeyLossHistogram.key(scores[offset + j]) << 32) | (long) (Integer.MAX_VALUE - j);
            }
            Arrays.sort(order);
            for (int q = 0; q < cols; q++) {
                int j = Integer.MAX_VALUE - (int) (order[q] & 0xffffffffL);
                prunedLoss[q + 1] = prunedLoss[q] + LossTerms.term(s, j, w[offset + j]);
            }
            for (int k = 0; k <= cols; k++) {
                acc[k] += prunedLoss[cols - k];
            }
        }
        return new RowLossProfile(rows, cols, acc);
    }

    /** Both blocks' rows (this one first). */
    public RowLossProfile merge(RowLossProfile other) {
        if (other.cols != cols) {
            throw new IllegalArgumentException("cannot merge row profiles of " + cols + " and " + other.cols + " columns");
        }
        double[] sum = lossByKept.clone();
        for (int k = 0; k <= cols; k++) sum[k] += other.lossByKept[k];
        return new RowLossProfile(rows + other.rows, cols, sum);
    }

    public long rows() { return rows; }

    public int cols() { return cols; }

    /** The loss when every row keeps k weights. */
    public double lossKeepingPerRow(int k) {
        return lossByKept[k];
    }

    /**
     * The curve in kept weights (rows * k per setting), exact, one point per k of keptPerRow (null: every k in
     * 0..cols). Points are labelled with the pattern that prunes to them ("unstructured:P:row"), except k = 0.
     *
     * @param weights the matrix's size; must equal rows * cols (a missing block would scale every point)
     */
    public CostCurve toCurve(String name, long weights, int[] keptPerRow) {
        if (weights != rows * cols) {
            throw new IllegalArgumentException("matrix " + name + ": the row profile counts " + rows + " x " + cols
                    + " weights but the matrix has " + weights + " (a row block missing or counted twice?)");
        }
        List<CostCurve.Point> pts = new ArrayList<>();
        if (keptPerRow == null) {
            for (int k = 0; k <= cols; k++) pts.add(point(k));
        } else {
            for (int k : keptPerRow) {
                if (k < 0 || k > cols) {
                    throw new IllegalArgumentException("matrix " + name + ": " + k + " kept per row is outside [0, "
                            + cols + "]");
                }
                pts.add(point(k));
            }
        }
        return CostCurve.discrete(name, weights, pts);
    }

    /**
     * The kept-per-row counts of a grid of sparsities, by the pruner's own rule round((1 - p) * cols), distinct and
     * ascending: a grid keeps the curve small (a 28672-wide matrix has 28673 settings otherwise).
     */
    public static int[] keptPerRowForSparsities(int cols, double[] sparsities) {
        java.util.TreeSet<Integer> ks = new java.util.TreeSet<>();
        for (double p : sparsities) {
            ks.add((int) SparsityPattern.unstructured(p, SparsityPattern.Group.ROW).keptPerGroup(cols));
        }
        return ks.stream().mapToInt(Integer::intValue).toArray();
    }

    private CostCurve.Point point(int k) {
        String label = k == 0 ? null
                : SparsityPattern.unstructured(1.0 - (double) k / cols, SparsityPattern.Group.ROW).toString();
        return new CostCurve.Point(rows * k, lossByKept[k], label);
    }
}
