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
