package org.nowag.kernels.quant;

import java.io.Serializable;

/**
 * Round-to-nearest parameters: bits per code and the group of inputs (columns of one row) that share a scale and a
 * zero point. Plain non-final fields so Spark's Kryo FieldSerializer can rebuild it in a task.
 *
 * <p>Group size 128 along the input dimension is the setting GPTQ, AWQ and their RTN baselines report ("g128").
 */
public final class RtnConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_GROUP_SIZE = 128;
    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 8;
    /** Bits the stored scale takes (binary16) and the stored zero point takes (a 16-bit integer). */
    public static final int SCALE_BITS = 16;
    public static final int ZERO_BITS = 16;

    private int bits;
    private int groupSize;

    private RtnConfig() {}

    public static RtnConfig of(int bits, int groupSize) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("RTN bits must be between " + MIN_BITS + " and " + MAX_BITS + ", got " + bits);
        }
        if (groupSize < 1) throw new IllegalArgumentException("RTN group size must be >= 1, got " + groupSize);
        RtnConfig c = new RtnConfig();
        c.bits = bits;
        c.groupSize = groupSize;
        return c;
    }

    /** INTn at group size 128. */
    public static RtnConfig int_(int bits) { return of(bits, DEFAULT_GROUP_SIZE); }

    public int bits() { return bits; }
    public int groupSize() { return groupSize; }
    /** Largest code, 2^bits - 1. */
    public int maxCode() { return (1 << bits) - 1; }

    /**
     * Groups per row of {@code cols} inputs: ceil(cols / groupSize). When groupSize does not divide cols, the last
     * group of every row is the shorter remainder with its own scale and zero point (as GPTQ's column-index //
     * group_size grouping does), so any d_in is accepted and every group is counted in the stored bits.
     */
    public int groupsPerRow(long cols) {
        return Math.toIntExact((cols + groupSize - 1) / groupSize);
    }

    /**
     * Stored bits per weight of a [rows, cols] matrix, every overhead counted: bits per code for each weight, plus a
     * 16-bit scale and a 16-bit zero point per group.
     */
    public double bitsPerWeight(long rows, long cols) {
        double groups = (double) rows * groupsPerRow(cols);
        return ((double) rows * cols * bits + groups * (SCALE_BITS + ZERO_BITS)) / ((double) rows * cols);
    }

    @Override public String toString() { return "INT" + bits + " g" + groupSize; }
}
