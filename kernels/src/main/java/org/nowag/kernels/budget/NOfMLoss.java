package org.nowag.kernels.budget;

import java.io.Serializable;

import org.nowag.kernels.Checks;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * The exact data-aware loss of one N:M pattern on a matrix, summed over row blocks: in every run of M consecutive
 * inputs of a row the N highest scores are kept (ties: lower index, as the pruning kernels), the rest add s_j W_ij^2.
 * A discrete point of a cost curve (kept = size * N / M).
 */
public final class NOfMLoss implements Serializable {
    private static final long serialVersionUID = 1L;

    private SparsityPattern pattern;
    private long weights;
    private double loss;

    private NOfMLoss() {}

    private NOfMLoss(SparsityPattern pattern, long weights, double loss) {
        this.pattern = pattern;
        this.weights = weights;
        this.loss = loss;
    }

    public static NOfMLoss of(SparsityPattern pattern, float[] scores, float[] w, int rows, int cols, float[] s) {
        if (pattern == null || !pattern.isNOfM()) {
            throw new IllegalArgumentException("pattern " + pattern + " is not an N:M pattern");
        }
        Checks.matrix(w, rows, cols, "w");
        Checks.length(scores, (long) rows * cols, "scores");
        Checks.activationDiagonal(s, cols);
        pattern.checkShape(rows, cols);
        int n = pattern.n();
        int m = pattern.m();
        double sum = 0;
        for (int g = 0; g < w.length; g += m) {
            for (int a = g; a < g + m; a++) {
                int keyA = KeyLossHistogram.key(scores[a]);
                int beaten = 0; // elements ranked before a: a larger key, or an equal key at a lower index
                for (int b = g; b < g + m; b++) {
                    int keyB = KeyLossHistogram.key(scores[b]);
                    if (keyB > keyA || (keyB == keyA && b < a)) beaten++;
                }
                if (beaten >= n) sum += LossTerms.term(s, a % cols, w[a]);
            }
        }
        return new NOfMLoss(pattern, w.length, sum);
    }

    public NOfMLoss merge(NOfMLoss other) {
        if (!pattern.equals(other.pattern)) {
            throw new IllegalArgumentException("cannot merge losses of patterns " + pattern + " and " + other.pattern);
        }
        return new NOfMLoss(pattern, weights + other.weights, loss + other.loss);
    }

    public SparsityPattern pattern() { return pattern; }

    public long weights() { return weights; }

    public double loss() { return loss; }

    /** The setting as a point: kept weights, loss, and the pattern's text as its label. */
    public CostCurve.Point point() {
        return new CostCurve.Point(pattern.keptPerGroup(weights), loss, pattern.toString());
    }
}
