package org.nowag.kernels.budget;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.nowag.kernels.prune.SparsityPattern;

/**
 * Which pruning curves one pass over a matrix collects: the unstructured curve of a group (MATRIX: the importance
 * histogram; ROW: the exact per-row profile; null: none), and the exact loss of each N:M pattern.
 * Plain fields for Kryo; immutable by convention.
 */
public final class CurveSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private SparsityPattern.Group group;
    private int histogramBits;
    private ArrayList<SparsityPattern> nOfM;

    private CurveSpec() {}

    /**
     * @param group         the unstructured group to profile (a method's {@code defaultGroup()}), or null for none
     * @param histogramBits resolution of the MATRIX histogram ({@link KeyLossHistogram#DEFAULT_BITS} by default)
     * @param nOfM          N:M patterns whose loss to collect (may be empty)
     */
    public static CurveSpec of(SparsityPattern.Group group, int histogramBits, List<SparsityPattern> nOfM) {
        KeyLossHistogram.checkBits(histogramBits);
        CurveSpec spec = new CurveSpec();
        spec.group = group;
        spec.histogramBits = histogramBits;
        spec.nOfM = new ArrayList<>();
        if (nOfM != null) {
            for (SparsityPattern p : nOfM) {
                if (p == null || !p.isNOfM()) throw new IllegalArgumentException("not an N:M pattern: " + p);
                if (!spec.nOfM.contains(p)) spec.nOfM.add(p);
            }
        }
        if (group == null && spec.nOfM.isEmpty()) {
            throw new IllegalArgumentException("a curve spec needs an unstructured group or at least one N:M pattern");
        }
        return spec;
    }

    /** The unstructured curve of a group at the default histogram resolution, no N:M points. */
    public static CurveSpec unstructured(SparsityPattern.Group group) {
        if (group == null) throw new IllegalArgumentException("group is null");
        return of(group, KeyLossHistogram.DEFAULT_BITS, null);
    }

    public SparsityPattern.Group group() { return group; }

    public int histogramBits() { return histogramBits; }

    public List<SparsityPattern> nOfM() { return new ArrayList<>(nOfM); }
}
