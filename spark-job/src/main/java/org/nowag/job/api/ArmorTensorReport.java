package org.nowag.job.api;

/** The ARMOR part of a tensor's report entry: the loss along the way and every term of the stored size. */
public final class ArmorTensorReport {
    public int blockSize;
    public int iterations;
    /** F16 or F32, for A, B, the kept values and the norms. */
    public String storedFloat;
    /** Proxy loss at the NoWag-P 2:4 start, then after each outer iteration (before rounding to storedFloat). */
    public double[] losses;
    public double startLoss;
    public double endLoss;
    /** A, B or S steps undone because they would have raised the loss. */
    public int stepsRejected;
    /** The 2:4 core: value + 2-bit position per kept weight, over d_out * d_in. */
    public double coreBitsPerWeight;
    /** A's and B's blocks: b * (d_out + d_in) values, over d_out * d_in. */
    public double wrapperBitsPerWeight;
    public double normBitsPerWeight;
    public double bitsPerWeight;
}
