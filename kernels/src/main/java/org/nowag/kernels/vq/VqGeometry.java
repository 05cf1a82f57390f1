package org.nowag.kernels.vq;

import java.io.Serializable;

/**
 * How a [rows, cols] matrix is cut for NoWag-VQ: each row into groups = ceil(cols / d) subvectors of d inputs, the
 * last one padded when d does not divide cols (as the NoWag reference's LinearVQ.quantize_ pads, see
 * {@link VqPadding}); and the rows into k-means blocks of whole rows, at most {@code blockSubvectors} subvectors
 * each (at least one row). Subvector g of the matrix is (row g / groups, group g % groups).
 */
public final class VqGeometry implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int rows;
    public final int cols;
    public final int dim;
    /** Subvectors per row: ceil(cols / dim). */
    public final int groups;
    /** groups * dim: cols plus the padding. */
    public final int paddedCols;
    /** Rows per k-means block (the last block may have fewer). */
    public final int blockRows;
    public final int blockCount;

    public VqGeometry(int rows, int cols, int dim, int blockSubvectors) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("matrix shape [" + rows + ", " + cols + "] must be positive");
        if (dim < 1) throw new IllegalArgumentException("subvector dimension d=" + dim + " must be >= 1");
        if (blockSubvectors < 1) throw new IllegalArgumentException("block size " + blockSubvectors + " must be >= 1");
        this.rows = rows;
        this.cols = cols;
        this.dim = dim;
        this.groups = (int) ((cols + (long) dim - 1) / dim);
        this.paddedCols = Math.multiplyExact(groups, dim);
        Math.multiplyExact(rows, paddedCols);  // the padded subvector matrix must fit one Java array
        this.blockRows = Math.max(1, Math.min(rows, blockSubvectors / groups));
        this.blockCount = (rows + blockRows - 1) / blockRows;
    }

    public static VqGeometry of(int rows, int cols, VqConfig config) {
        return new VqGeometry(rows, cols, config.dim, config.blockSubvectors);
    }

    /** Number of subvectors (codes): rows * groups. */
    public int subvectors() { return rows * groups; }

    /** Inputs of padding at the end of each row: paddedCols - cols (0 when d divides cols). */
    public int padding() { return paddedCols - cols; }

    public int blockStart(int b) { return b * blockRows; }

    public int blockRowCount(int b) { return Math.min(blockRows, rows - blockStart(b)); }

    /** The k-means weights per padded input: s (or 1 when data-free), and 0 on padding so it never moves a distance. */
    public float[] paddedWeights(float[] s) {
        float[] w = new float[paddedCols];
        for (int j = 0; j < cols; j++) w[j] = s == null ? 1f : s[j];
        return w;
    }
}
