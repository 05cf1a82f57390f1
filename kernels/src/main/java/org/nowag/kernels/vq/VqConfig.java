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
    /**
     * Subvectors per k-means block (whole rows, at least one row). Every sum over the matrix (column norms, losses,
     * centroid numerators and denominators) is taken per block in double and the block sums are added in block
     * order, whether the blocks run in one task or on many executors: the two give identical results.
     */
    public static final int DEFAULT_BLOCK_SUBVECTORS = 1 << 20;
    /**
     * k-means++ runs on at most this many subvectors (a seeded uniform sample, in matrix order; all of them when the
     * matrix has fewer). The reference also seeds from a random subset (K subvectors per step); a fixed sample keeps
     * the init the same for one task and for row blocks on executors, and bounds its cost at K x sample distances.
     */
    public static final int DEFAULT_INIT_SAMPLE = 1 << 18;

    public final int dim;
    public final int codebookSize;
    public final int maxIterations;
    public final long seed;
    /** Round codebook and norms to binary16 (what is stored); false keeps float32. */
    public final boolean halfStorage;
    /** See {@link #DEFAULT_BLOCK_SUBVECTORS}. */
    public final int blockSubvectors;
    /** See {@link #DEFAULT_INIT_SAMPLE}. */
    public final int initSample;

    public VqConfig(int dim, int codebookSize, int maxIterations, long seed, boolean halfStorage) {
        this(dim, codebookSize, maxIterations, seed, halfStorage, DEFAULT_BLOCK_SUBVECTORS, DEFAULT_INIT_SAMPLE);
    }

    public VqConfig(int dim, int codebookSize, int maxIterations, long seed, boolean halfStorage, int blockSubvectors,
                    int initSample) {
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
        if (blockSubvectors < 1) throw new IllegalArgumentException("VQ block size must be >= 1 subvector, got " + blockSubvectors);
        if (initSample < 1) throw new IllegalArgumentException("k-means++ sample must be >= 1 subvector, got " + initSample);
        this.blockSubvectors = blockSubvectors;
        this.initSample = initSample;
    }

    /** The same parameters with another block size and k-means++ sample (tests use small ones). */
    public VqConfig withBlocks(int blockSubvectors, int initSample) {
        return new VqConfig(dim, codebookSize, maxIterations, seed, halfStorage, blockSubvectors, initSample);
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
                + (halfStorage ? " f16" : " f32")
                + (blockSubvectors != DEFAULT_BLOCK_SUBVECTORS ? " block=" + blockSubvectors : "")
                + (initSample != DEFAULT_INIT_SAMPLE ? " init-sample=" + initSample : "");
    }
}
