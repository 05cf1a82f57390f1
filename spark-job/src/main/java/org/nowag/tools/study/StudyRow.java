package org.nowag.tools.study;

/**
 * One row of the study: a method at one setting. {@code id} names its output directory and is what --rows selects;
 * {@code method} is the compress method's CLI name ("dense" and "rtn" are the study's own rows).
 */
public final class StudyRow {
    public enum Kind { DENSE, PRUNE_UNSTRUCTURED, PRUNE_2_4, ARMOR, VQ, RTN }

    public final String id;
    public final String method;
    public final Kind kind;
    /** Unstructured sparsity (PRUNE_UNSTRUCTURED), VQ/RTN bits per code; unused otherwise. */
    public final double sparsity;
    public final int bits;
    /** VQ subvector length (chosen per model, see StudyPlan); 0 otherwise. */
    public final int vqDim;

    private StudyRow(String id, String method, Kind kind, double sparsity, int bits, int vqDim) {
        this.id = id;
        this.method = method;
        this.kind = kind;
        this.sparsity = sparsity;
        this.bits = bits;
        this.vqDim = vqDim;
    }

    static StudyRow dense() { return new StudyRow("dense", "dense", Kind.DENSE, 0, 0, 0); }

    static StudyRow unstructured(String method, double sparsity) {
        return new StudyRow(method + "-" + Math.round(sparsity * 100), method, Kind.PRUNE_UNSTRUCTURED, sparsity, 0, 0);
    }

    static StudyRow twoOfFour(String method) {
        Kind kind = method.equals("armor") ? Kind.ARMOR : Kind.PRUNE_2_4;
        return new StudyRow(method + "-2of4", method, kind, 0.5, 0, 0);
    }

    static StudyRow vq(int bits, int dim) { return new StudyRow("nowag-vq-" + bits + "bit", "nowag-vq", Kind.VQ, 0, bits, dim); }

    static StudyRow rtn(int bits) { return new StudyRow("rtn-int" + bits, "rtn", Kind.RTN, 0, bits, 0); }

    /** The setting as the table prints it. */
    public String setting(int armorBlock, int armorIters, int vqIters) {
        switch (kind) {
            case DENSE: return "BF16";
            case PRUNE_UNSTRUCTURED: {
                double percent = Math.round(sparsity * 1000) / 10.0;  // 0.999 -> 99.9, 0.5 -> 50
                return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "% unstructured";
            }
            case PRUNE_2_4: return "2:4";
            case ARMOR: return "2:4, block <= " + armorBlock + ", " + armorIters + " iterations";
            case VQ: return bits + " bits: d=" + vqDim + ", K=" + (1L << (bits * vqDim)) + ", <= " + vqIters + " iterations";
            case RTN: return "INT" + bits + ", asymmetric, group 128";
            default: throw new IllegalStateException(kind.name());
        }
    }

    /** Methods that read the calibration statistics (magnitude and RTN are data-free). */
    public boolean calibrated() {
        return kind != Kind.DENSE && kind != Kind.RTN && !method.equals("magnitude");
    }
}
