package org.nowag.kernels.vq;

import java.io.Serializable;

/**
 * NoWag-VQ parameters. Defaults are the NoWag reference's config/compress/vq.yaml: d: 6, n_bits: 2 (so
 * K = 2^(n_bits * d) = 4096 centroids), n_iters: 100, n_inits: 1, initialize_method: kmeans++, ignore_norms: true
 * (the k-means weights are s alone). Codebook and norms are stored in 16 bits unless {@code halfStorage} is off.
 */
public final class VqConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** config/compress/vq.yaml: d: 6. */
    public static final int DEFAULT_DIM = 6;
    /** config/compress/vq.yaml: n_bits: 2 (bits per weight spent on codes). */
    public static final int DEFAULT_BITS = 2;
    /** config/compress/vq.yaml: n_iters: 100. */
    public static final int DEFAULT_ITERATIONS = 100;
    public static final long DEFAULT_SEED = 0L;
    /** Codebooks above 2^20 centroids would need gigabytes of distances per GEMM block; refuse them early. */
    public static final int MAX_CODE_BITS = 20;

    public final int dim;
    public final int codebookSize;
    public final int maxIterations;
    public final long seed;
    /** Round codebook and norms to binary16 (what is stored); false keeps float32. */
    public final boolean halfStorage;

    public VqConfig(int dim, int codebookSize, int maxIterations, long seed, boolean halfStorage) {
        if (dim < 1) throw new IllegalArgumentException("VQ subvector dimension must be >= 1, got " + dim);
        if (codebookSize < 1 || codebookSize > (1 << MAX_CODE_BITS)) {
            throw new IllegalArgumentException("VQ codebook size must be in [1, 2^" + MAX_CODE_BITS + "], got " + codebookSize);
        }
        if (maxIterations < 1) throw new IllegalArgumentException("VQ iterations must be >= 1, got " + maxIterations);
        this.dim = dim;
        this.codebookSize = codebookSize;
        this.maxIterations = maxIterations;
        this.seed = seed;
        this.halfStorage = halfStorage;
    }

    /** K = 2^(bitsPerWeight * dim), as the reference derives n_centroids from n_bits and d. */
    public static VqConfig ofBits(int dim, int bitsPerWeight, int maxIterations, long seed) {
        long codeBits = (long) bitsPerWeight * dim;
        if (bitsPerWeight < 1 || codeBits > MAX_CODE_BITS) {
            throw new IllegalArgumentException("--vq-bits " + bitsPerWeight + " x --vq-dim " + dim + " = " + codeBits
                    + " bits per code; it must be between 1 and " + MAX_CODE_BITS);
        }
        return new VqConfig(dim, 1 << codeBits, maxIterations, seed, true);
    }

    public static VqConfig defaults() {
        return ofBits(DEFAULT_DIM, DEFAULT_BITS, DEFAULT_ITERATIONS, DEFAULT_SEED);
    }

    /** Bits one code takes for a codebook of k centroids: ceil(log2 k), at least 1. */
    public static int codeBits(int k) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1));
    }

    @Override
    public String toString() {
        return "d=" + dim + " K=" + codebookSize + " iters=" + maxIterations + " seed=" + seed
                + (halfStorage ? " f16" : " f32");
    }
}
