package org.nowag.job.api;

/** One compressed tensor in report.json. Public fields: Jackson writes and reads them as they are. */
public final class TensorReport {
    public String name;
    public String dtype;
    public long[] shape;
    public String method;
    public String pattern;
    public int blocks;
    public long numel;
    public long kept;
    /** 1 - kept / numel. */
    public double sparsity;
    /** NoWag proxy loss sum s_j (W_bar - W_bar_hat)^2 after compression (0 before: nothing removed yet). */
    public double proxyLoss;
    /** Proxy loss of an all-zero matrix, the scale proxyLoss compares to. */
    public double proxyEnergy;
    public double proxyLossRelative;
    /** sum s_j (W - W_hat)^2 in the original space. */
    public double dataAwareLoss;
    /** Kernel task seconds in this run (0 when every block was reused from an earlier run). */
    public double seconds;
    public long bytes;
    public int blocksReused;
    /** Storage the NoWag reference counts for unstructured pruning: 16 bits per row + 32 bits per kept weight. */
    public double referenceBitsPerWeight;
    /**
     * Stored bits per weight of a method that stores something other than a dense weight (NoWag-VQ, ARMOR), with
     * every term; null for the pruning methods (their output is the dense weight).
     */
    public Double bitsPerWeight;
    /** Bits per weight as the output stores it: bitsPerWeight for NoWag-VQ and ARMOR, the dtype's width for a dense weight. */
    public Double storedBitsPerWeight;
    /** For 2:4: 16-bit kept value + 2-bit position per kept weight. */
    public Double compact24BitsPerWeight;
    /**
     * sparsegpt only: the real calibration loss ||(W - W_hat) X^T||^2 from the full X^T X (what SparseGPT minimises;
     * dataAwareLoss above uses only the diagonal, which counts SparseGPT's compensating updates as errors).
     */
    public Double outputLoss;
    /** NoWag-VQ only: codebook, k-means history and bits per weight with every term. */
    public VqTensorReport vq;
    /** ARMOR only: loss at the start, after each iteration, at the end, and bits per weight with every term. */
    public ArmorTensorReport armor;
    /** RTN only: bits, group size and bits per weight with every term. */
    public RtnTensorReport rtn;
}
