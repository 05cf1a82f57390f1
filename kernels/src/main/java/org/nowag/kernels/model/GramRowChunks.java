package org.nowag.kernels.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * X^T X of one batch of a linear layer's inputs, handed out a band of rows at a time, so a d_in x d_in matrix never
 * has to exist whole (28672^2 doubles would be 6.1 GiB): only X (as doubles) and one band are held.
 *
 * <p>Each band is G[r0:r0+n, :] = X[:, r0:r0+n]^T X, one double GEMM. Bands start at multiples of
 * {@link #ROW_ALIGN} rows, which keeps every element's sum over tokens in the order the whole-matrix GEMM of
 * {@link GramAccumulator} uses (BLAS tiles rows in units that divide 64), so bands equal the rows of the whole
 * matrix bit for bit ({@code GramRowChunksTest}). The diagonal is the same plain loop as {@link GramAccumulator}'s.
 */
public final class GramRowChunks {
    /** Bands start at multiples of this many rows. */
    public static final int ROW_ALIGN = 64;
    /** Target band size: 2^20 doubles (8 MiB); a band is never narrower than ROW_ALIGN rows. */
    public static final long BAND_DOUBLES = 1L << 20;

    private float[] rows;         // [tokens x inFeatures]; null once released
    private final int tokens;
    private final int inFeatures;
    private INDArray x;           // [tokens x inFeatures] double, made on first use

    public GramRowChunks(float[] rows, int tokens, int inFeatures) {
        if ((long) tokens * inFeatures != rows.length) {
            throw new IllegalArgumentException("rows hold " + rows.length + " values, expected " + tokens + " x " + inFeatures);
        }
        this.rows = rows;
        this.tokens = tokens;
        this.inFeatures = inFeatures;
    }

    /** Rows per band for inputs of width dIn: a multiple of ROW_ALIGN near BAND_DOUBLES / dIn. */
    public static int bandRows(int dIn) {
        long rows = BAND_DOUBLES / dIn / ROW_ALIGN * ROW_ALIGN;
        return (int) Math.min(dIn, Math.max(ROW_ALIGN, rows));
    }

    /** Number of bands of a dIn-wide X^T X. */
    public static int bands(int dIn) {
        int r = bandRows(dIn);
        return (dIn + r - 1) / r;
    }

    public int inFeatures() { return inFeatures; }

    public int tokens() { return tokens; }

    /** diag(X^T X): sum over tokens of x^2, in double, in token order. */
    public double[] diagonal() {
        if (rows == null) throw new IllegalStateException("released");
        return sumOfSquares(rows, tokens, inFeatures);
    }

    /** Per column j, the sum over the rows of x_tj^2, in double, in row order (the one loop both classes use). */
    static double[] sumOfSquares(float[] rows, int tokens, int inFeatures) {
        double[] diag = new double[inFeatures];
        for (int t = 0; t < tokens; t++) {
            int base = t * inFeatures;
            for (int j = 0; j < inFeatures; j++) {
                double v = rows[base + j];
                diag[j] += v * v;
            }
        }
        return diag;
    }

    /** Drops the input and ND4J's copy of it (off-heap, freed now rather than when the collector runs). */
    public void release() {
        if (x != null) x.close();
        x = null;
        rows = null;
    }

    /** Band b of X^T X: rows [b * bandRows, ...) row-major, each inFeatures wide. */
    public double[] band(int b) {
        int per = bandRows(inFeatures);
        int r0 = b * per;
        if (b < 0 || r0 >= inFeatures) throw new IllegalArgumentException("band " + b + " of " + bands(inFeatures));
        if (rows == null && x == null) throw new IllegalStateException("released");
        int n = Math.min(per, inFeatures - r0);
        if (x == null) {
            double[] xd = new double[rows.length];
            for (int i = 0; i < rows.length; i++) xd[i] = rows[i];
            x = Nd4j.create(xd, new long[] {tokens, inFeatures}, DataType.DOUBLE);
        }
        INDArray left = n == inFeatures ? x : x.get(NDArrayIndex.all(), NDArrayIndex.interval(r0, r0 + n)).dup('c');
        INDArray g = Nd4j.gemm(left, x, true, false);
        if (g.ordering() != 'c' || g.isView()) g = g.dup('c');
        double[] out = g.data().asDouble();
        if (out.length != (long) n * inFeatures) {
            throw new IllegalStateException("ND4J returned " + out.length + " values for a " + n + " x " + inFeatures + " band");
        }
        return out;
    }
}
