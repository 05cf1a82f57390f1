package org.nowag.job.cli;

import org.nowag.job.api.CompressionMethod;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.vq.VqConfig;

/** The planner's heap estimate for one task of a method, as `inspect` and `scale-proof` print it. */
final class TaskMemory {
    private TaskMemory() {}

    /** Heap one task on block b of t needs (default VQ and ARMOR settings). */
    static long bytes(CompressionMethod m, TargetTensor t, RowBlock b) {
        return bytes(m, t, b, org.nowag.kernels.armor.ArmorConfig.DEFAULT_BLOCK_SIZE);
    }

    /** The same with ARMOR's block size. */
    static long bytes(CompressionMethod m, TargetTensor t, RowBlock b, int armorBlock) {
        switch (m) {
            case ARMOR:
                return MemoryEstimate.armorTaskBytes(t.info, armorBlock);
            case SPARSEGPT:
                return MemoryEstimate.sparseGptTaskBytes(t.info);
            case NOWAG_VQ:
                // The planner's split of a matrix into row blocks is what sends VQ to its row-block k-means.
                return t.blocks.size() > 1
                        ? MemoryEstimate.vqRowBlockBytes(t.info, VqConfig.DEFAULT_DIM, VqConfig.DEFAULT_BLOCK_SUBVECTORS)
                        : MemoryEstimate.vqTaskBytes(t.info, VqConfig.DEFAULT_DIM);
            default:
                return MemoryEstimate.pruneTaskBytes(t.info, b.rowCount);
        }
    }

    /** What the estimate counts, for the printed line. */
    static String what(CompressionMethod m) {
        switch (m) {
            case SPARSEGPT:
                return "the whole matrix and its X^T X";
            case ARMOR:
                return "ARMOR, the whole matrix, heap + ND4J off-heap: W, W_bar, core, the S step's residual and undo copy, "
                        + "one chunk of block products";
            case NOWAG_VQ:
                return "the whole matrix, or for a matrix above --block-mb one k-means row block and the driver's codes";
            default:
                return "one row block";
        }
    }
}
