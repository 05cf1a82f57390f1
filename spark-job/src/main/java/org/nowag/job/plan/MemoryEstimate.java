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
}
