package org.nowag.job.api;

/** The NoWag-VQ part of a tensor's report entry: what was stored and every term of its size. */
public final class VqTensorReport {
    public int dim;
    /** Centroids in the codebook: min(K, subvectors). */
    public int codebookSize;
    public int codeBits;
    /** F16 or F32, for codebook and norms. */
    public String storedFloat;
    public int iterations;
    public boolean converged;
    /** Proxy loss after each k-means assignment (before the codebook is rounded to its stored precision). */
    public double[] kMeansLosses;
    public double codeBitsPerWeight;
    public double codebookBitsPerWeight;
    public double normBitsPerWeight;
    /** codes + codebook + norms, divided by d_out * d_in. */
    public double bitsPerWeight;
}
