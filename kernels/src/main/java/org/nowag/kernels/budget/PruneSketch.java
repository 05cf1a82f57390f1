package org.nowag.kernels.budget;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.nowag.kernels.Checks;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * Everything one pass over a row block learns for the budget, per {@link CurveSpec}: the unstructured summary of
 * its group and the N:M losses. Small (bins, or cols + 1 doubles, plus one double per pattern), serialisable, and
 * merged block by block; {@link #toCurve} turns the merged sketch of a whole matrix into its cost curve.
 */
public final class PruneSketch implements Serializable {
    private static final long serialVersionUID = 1L;

    private KeyLossHistogram histogram; // group MATRIX, else null
    private RowLossProfile rowProfile;  // group ROW, else null
    private ArrayList<NOfMLoss> nOfM;

    private PruneSketch() {}

    /**
     * One pass over a row block [rows, cols]: the method's importance (with the block's row norms and the WHOLE
     * matrix's column norms, exactly what the pruner ranks), then every summary the spec asks for.
     */
    public static PruneSketch of(PruneMethod method, CurveSpec spec, float[] w, int rows, int cols,
                                 float[] colNorms, float[] s) {
        if (method == null || spec == null) throw new IllegalArgumentException("method and spec must not be null");
        Checks.matrix(w, rows, cols, "w");
        float[] scores = Pruner.blockScores(method, w, rows, cols, colNorms, s); // also rejects NaN/Inf weights
        return fromScores(spec, scores, w, rows, cols, s);
    }

    /** As {@link #of}, from importance scores already computed for this block (row-major). */
    public static PruneSketch fromScores(CurveSpec spec, float[] scores, float[] w, int rows, int cols, float[] s) {
        PruneSketch sk = new PruneSketch();
        if (spec.group() == SparsityPattern.Group.MATRIX) {
            sk.histogram = KeyLossHistogram.of(scores, w, rows, cols, s, spec.histogramBits());
        } else if (spec.group() == SparsityPattern.Group.ROW) {
            sk.rowProfile = RowLossProfile.of(scores, w, rows, cols, s);
        }
        sk.nOfM = new ArrayList<>();
        for (SparsityPattern p : spec.nOfM()) sk.nOfM.add(NOfMLoss.of(p, scores, w, rows, cols, s));
        return sk;
    }

    /** Both blocks (this one first): merge in block order for bit-identical loss sums. */
    public PruneSketch merge(PruneSketch other) {
        if ((histogram == null) != (other.histogram == null) || (rowProfile == null) != (other.rowProfile == null)
                || nOfM.size() != other.nOfM.size()) {
            throw new IllegalArgumentException("cannot merge sketches made with different curve specs");
        }
        PruneSketch m = new PruneSketch();
        m.histogram = histogram == null ? null : histogram.merge(other.histogram);
        m.rowProfile = rowProfile == null ? null : rowProfile.merge(other.rowProfile);
        m.nOfM = new ArrayList<>();
        for (int i = 0; i < nOfM.size(); i++) m.nOfM.add(nOfM.get(i).merge(other.nOfM.get(i)));
        return m;
    }

    /** Merges sketches given in block order. */
    public static PruneSketch mergeInOrder(List<PruneSketch> blocks) {
        if (blocks == null || blocks.isEmpty()) throw new IllegalArgumentException("no sketches to merge");
        PruneSketch m = blocks.get(0);
        for (int i = 1; i < blocks.size(); i++) m = m.merge(blocks.get(i));
        return m;
    }

    public KeyLossHistogram histogram() { return histogram; }

    public RowLossProfile rowProfile() { return rowProfile; }

    public List<NOfMLoss> nOfMLosses() { return new ArrayList<>(nOfM); }

    /**
     * The unstructured cost curve (kept weights) of the whole matrix: for MATRIX the histogram curve with at most
     * maxSegments fillable segments; for ROW the exact per-row curve at keptPerRow (null: every k).
     */
    public CostCurve toCurve(String name, long weights, int maxSegments, int[] keptPerRow) {
        if (histogram != null) return histogram.toCurve(name, weights, maxSegments);
        if (rowProfile != null) return rowProfile.toCurve(name, weights, keptPerRow);
        throw new IllegalStateException("matrix " + name + ": this sketch has no unstructured curve (N:M only)");
    }

    /** The discrete curve of the N:M patterns collected, plus the dense setting (all kept, loss 0) if asked. */
    public CostCurve nOfMCurve(String name, long weights, boolean includeDense) {
        List<CostCurve.Point> pts = new ArrayList<>();
        for (NOfMLoss l : nOfM) {
            if (l.weights() != weights) {
                throw new IllegalArgumentException("matrix " + name + ": the N:M sums count " + l.weights()
                        + " weights but the matrix has " + weights);
            }
            pts.add(l.point());
        }
        if (includeDense) pts.add(new CostCurve.Point(weights, 0.0, "dense"));
        return CostCurve.discrete(name, weights, pts);
    }
}
