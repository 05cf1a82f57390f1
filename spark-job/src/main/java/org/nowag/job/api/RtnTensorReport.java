package org.nowag.job.api;

/** The RTN part of a tensor's report entry: what was stored and every term of its size. */
public final class RtnTensorReport {
    public int bits;
    public int groupSize;
    /** ceil(d_in / groupSize): the last group of a row is shorter when groupSize does not divide d_in. */
    public int groupsPerRow;
    /** Packed codes (each row padded to a byte) over d_out * d_in. */
    public double codeBitsPerWeight;
    /** F16 scale + I16 zero point per group, over d_out * d_in. */
    public double scaleZeroBitsPerWeight;
    /** codes + scales + zero points as stored, over d_out * d_in. */
    public double bitsPerWeight;
}
