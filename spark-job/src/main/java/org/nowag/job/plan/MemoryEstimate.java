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
     * Heap of one SparseGPT task (the whole matrix, n = d_out * d_in, d = d_in): bytes in and out (2 x dtype), W as
     * float32, the double working copy, the float output and one block's lazy update as doubles (4 + 8 + 4 + 8), the
     * mask (1/8); X^T X read as float and widened to double, the damped copy, R and U (4 + 4 x 8 per d^2 element).
     * ND4J holds the update GEMM's operands and product off the heap (up to 8n + 8 x 128 x (d + d_out) bytes).
     */
    public static long sparseGptTaskBytes(TensorInfo tensor) {
        long n = tensor.numel();
        long d = tensor.cols();
        return n * (2L * tensor.dtype().bytes() + 24L) + n / 8 + 36L * d * d;
    }

    /**
     * Heap of one whole-matrix NoWag-VQ task (n = d_out * d_in, subvector length d): n (b + 16) + 12 n / d + 64 MiB,
     * i.e. the bytes read, float32 W, W_bar and padded subvectors with the kernel's working arrays (16 bytes per
     * weight in all, an upper count), the codes as ints with their packed and stored copies (12 bytes per subvector),
     * and one 64 MiB block of GEMM distances (which ND4J holds off the heap). mem-check measures it.
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
}
