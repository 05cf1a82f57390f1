package org.nowag.job.plan;

import org.nowag.io.safetensors.TensorInfo;

/**
 * Heap one pruning task needs for a block of n elements: the bytes read and written in the tensor's dtype (2 x dtype),
 * the block as float32, the pruned copy and the importance scores (3 x 4 bytes), and the keep mask (1/8 byte).
 */
public final class MemoryEstimate {
    private MemoryEstimate() {}

    public static long pruneTaskBytes(TensorInfo tensor, long rows) {
        long n = rows * tensor.cols();
        return n * (2L * tensor.dtype().bytes() + 12L) + n / 8;
    }

    /**
     * Heap of one SparseGPT task (the whole matrix, n = d_out * d_in, d = d_in), the most that is live at once: W as
     * float32, the double working copy of the sweep and the float result (4 + 8 + 4 bytes per weight; the bytes read
     * are decoded in bounded chunks, and the bytes written, b per weight, only exist once the working copy is gone),
     * the mask (1/8); X^T X read straight into one double[d^2] and factored in place (8 per d^2 element; its strict
     * lower triangle then serves the output loss); one block's errors and its rows of U staged for ND4J (128 doubles
     * per row and per column: 1 KiB x (d_out + d)) and up to 32 MiB of chunked scratch (the X^T X read, a chunk of
     * errors or of (W - W_hat)^T staged for ND4J). See
     * {@link #sparseGptOffHeapBytes} for what ND4J holds besides.
     */
    public static long sparseGptTaskBytes(TensorInfo tensor) {
        long n = tensor.numel();
        long d = tensor.cols();
        long dOut = n / d;
        return 16L * n + n / 8 + 8L * d * d + 1024L * (dOut + d) + SCRATCH_BYTES;
    }

    /**
     * Heap of one whole-matrix NoWag-VQ task (n = d_out * d_in, subvector length d): n (b + 16) + 12 n / d + 64 MiB,
     * i.e. the bytes read, float32 W, W_bar and padded subvectors with the kernel's working arrays (16 bytes per
     * weight in all, an upper count), the codes as ints with their packed and stored copies (12 bytes per subvector),
     * and 64 MiB for the rest: k-means++ on at most 2^18 sampled subvectors (their copy and 12 bytes each: 9 MiB at
     * d = 6), the assignment's proposals (4 bytes per subvector of one k-means block of at most 2^20: 4 MiB) and each
     * thread's scan buffers (under 1 MiB). Until the fused assignment this was one 64 MiB block of GEMM distances
     * off the heap; the bound is kept, now generous. mem-check measures it.
     */
    public static long vqTaskBytes(TensorInfo tensor, int dim) {
        return vqBytes(tensor.numel(), tensor.dtype().bytes(), dim);
    }

    /**
     * NoWag-VQ over row blocks (a matrix above --block-mb): one executor task holds one k-means block of at most
     * {@code blockSubvectors} subvectors (the whole-matrix formula on that block); the driver holds the codes of
     * the whole matrix three times over at the end (collected per block, joined, and packed into the part): 12 n / d.
     * Returns the larger of the two, what a local[*] JVM that is both needs at most.
     */
    public static long vqRowBlockBytes(TensorInfo tensor, int dim, int blockSubvectors) {
        long n = tensor.numel();
        long blockElements = Math.min(n, (long) blockSubvectors * dim);
        return Math.max(vqBytes(blockElements, tensor.dtype().bytes(), dim), 12L * n / dim);
    }

    private static long vqBytes(long n, int b, int dim) {
        return n * (b + 16L) + 12L * n / dim + (64L << 20);
    }

    /** ARMOR's bound on the input of one block-product chunk (org.nowag.kernels.armor.BlockProducts). */
    static final long ARMOR_CHUNK_BYTES = 16L << 20;

    /**
     * Heap and ND4J off-heap memory of one ARMOR task (the whole matrix: n = d_out * d_in, block size b), counted
     * from the code (ArmorTask, Armor, ArmorState, BlockProducts). The peak is the S step: W as float32 (4n, the
     * task's input), W_bar as float32 (4n), the core's two double values per group of four and its pair codes
     * (4n + n/4), the copy of both kept to undo the step (4n + n/4) and the residual E in double (8n): 24.5 bytes
     * per weight. The other phases hold less: the A and B steps 12.25n, the NoWag-P start at most 16.4n (W, W_bar,
     * the pruned copy and mask, and the new core), building the parts and W_hat 20n, writing the part at most 14.2n
     * (the parts, W_hat and its normalized copy or the dense output bytes, one encoded part tensor). On top come the
     * temporaries of the block products, which run a chunk of row or column blocks at a time: at most five copies of
     * one chunk (the B step's chunk of N = A S, its ND4J copy, W_bar's columns in double and its ND4J copy and
     * permuted copy), counted as six, each max(16 MiB, 8 b max(d_out, d_in)) bytes but never more than the
     * whole matrix in double (8n); and A and B themselves with
     * their stacked Java and ND4J copies, 3 x 8 b (d_out + d_in). About 3 GB of the 5.9 GB for a 28672 x 8192
     * matrix is the residual and the undo copy of the S step.
     */
    public static long armorTaskBytes(TensorInfo tensor, int blockSize) {
        long n = tensor.numel();
        long rows = tensor.rows();
        long cols = tensor.cols();
        long chunk = Math.min(8L * n, Math.max(ARMOR_CHUNK_BYTES, 8L * blockSize * Math.max(rows, cols)));
        return 24L * n + n / 2 + 6L * chunk + 24L * blockSize * (rows + cols);
    }

    /**
     * Off-heap bytes ND4J holds for one SparseGPT task: every GEMM of the factor, the lazy update and the output loss
     * runs over row chunks of at most 32 MiB per operand and product (three at once), plus one panel or block of U
     * (128 doubles per column: 1 KiB x d_in), whatever the matrix size.
     */
    public static long sparseGptOffHeapBytes(TensorInfo tensor) {
        return 3L * SCRATCH_BYTES + 1024L * tensor.cols();
    }

    /** 32 MiB: the chunk bound of the SparseGPT kernel's GEMM operands and of its heap scratch. */
    private static final long SCRATCH_BYTES = 32L << 20;
}
