package org.nowag.kernels.model;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Running X^T X of one linear layer's inputs: always its diagonal s_j = sum_t x_tj^2 (what NoWag, Wanda and the
 * statistics file need), and the full d_in x d_in matrix when asked (SparseGPT, ARMOR). Everything is summed in
 * double: a float activation squared is exact in double, so partial sums from Spark partitions added with
 * {@link #merge} agree with one pass up to double rounding (relative 1e-15 or so), far below float resolution.
 * The full matrix is one double GEMM per batch (ND4J).
 */
public final class GramAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    private int inFeatures;
    private double[] diagonal;
    private double[] full;
    private long tokens;

    /** For serializers only. */
    private GramAccumulator() { }

    /** An empty accumulator for inputs of width inFeatures; withFull also keeps the whole X^T X (d_in^2 doubles). */
    public GramAccumulator(int inFeatures, boolean withFull) {
        if (inFeatures <= 0) throw new IllegalArgumentException("inFeatures must be > 0, got " + inFeatures);
        if (withFull && (long) inFeatures * inFeatures > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a full X^T X of " + inFeatures + "^2 doubles does not fit one array");
        }
        this.inFeatures = inFeatures;
        this.diagonal = new double[inFeatures];
        this.full = withFull ? new double[inFeatures * inFeatures] : null;
    }

    /** Adds rows [tokens x inFeatures] (row-major float). */
    public void add(float[] rows, int tokens, int inFeatures) {
        add(Contribution.of(rows, tokens, inFeatures, full != null));
    }

    /** Adds a contribution computed once for several weights that share the input (see StatisticsCollector). */
    void add(Contribution c) {
        if (c.inFeatures != inFeatures) {
            throw new IllegalArgumentException("rows are " + c.inFeatures + " wide, this accumulator is " + inFeatures);
        }
        for (int j = 0; j < inFeatures; j++) diagonal[j] += c.diagonal[j];
        if (full != null) {
            if (c.full == null) throw new IllegalStateException("contribution has no full X^T X");
            for (int i = 0; i < full.length; i++) full[i] += c.full[i];
        }
        tokens += c.tokens;
    }

    /** Adds another accumulator's sums into this one (Spark's combine); returns this. */
    public GramAccumulator merge(GramAccumulator other) {
        if (other.inFeatures != inFeatures) {
            throw new IllegalArgumentException("cannot merge X^T X of width " + other.inFeatures + " into width " + inFeatures);
        }
        if ((other.full == null) != (full == null)) {
            throw new IllegalArgumentException("cannot merge an accumulator with the full X^T X and one without");
        }
        for (int j = 0; j < inFeatures; j++) diagonal[j] += other.diagonal[j];
        if (full != null) for (int i = 0; i < full.length; i++) full[i] += other.full[i];
        tokens += other.tokens;
        return this;
    }

    public int inFeatures() { return inFeatures; }

    /** Number of activation rows (tokens) added so far. */
    public long tokens() { return tokens; }

    public boolean hasFull() { return full != null; }

    /** diag(X^T X), a copy. */
    public double[] diagonal() { return diagonal.clone(); }

    /** diag(X^T X) rounded to float, as the calibration statistics file stores it. */
    public float[] diagonalAsFloat() {
        float[] out = new float[inFeatures];
        for (int j = 0; j < inFeatures; j++) out[j] = (float) diagonal[j];
        return out;
    }

    /** X^T X row-major [inFeatures x inFeatures], a copy; null when not tracked. */
    public double[] full() { return full == null ? null : full.clone(); }

    /** The X^T X of one batch of rows, computed once and added to any number of accumulators. */
    static final class Contribution {
        final int inFeatures;
        final long tokens;
        final double[] diagonal;
        final double[] full;

        private Contribution(int inFeatures, long tokens, double[] diagonal, double[] full) {
            this.inFeatures = inFeatures;
            this.tokens = tokens;
            this.diagonal = diagonal;
            this.full = full;
        }

        static Contribution of(float[] rows, int tokens, int inFeatures, boolean withFull) {
            if ((long) tokens * inFeatures != rows.length) {
                throw new IllegalArgumentException("rows hold " + rows.length + " values, expected " + tokens + " x " + inFeatures);
            }
            double[] diag = GramRowChunks.sumOfSquares(rows, tokens, inFeatures);
            double[] full = null;
            if (withFull) {
                double[] xd = new double[rows.length];
                for (int i = 0; i < rows.length; i++) xd[i] = rows[i];
                INDArray x = Nd4j.create(xd, new long[] {tokens, inFeatures}, DataType.DOUBLE);
                INDArray g = Nd4j.gemm(x, x, true, false);
                if (g.ordering() != 'c' || g.isView()) g = g.dup('c');
                full = g.data().asDouble();
                if (full.length != inFeatures * inFeatures) {
                    throw new IllegalStateException("ND4J returned " + full.length + " values for a " + inFeatures + "^2 Gram matrix");
                }
            }
            return new Contribution(inFeatures, tokens, diag, full);
        }
    }
}
