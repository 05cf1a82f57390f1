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
}
