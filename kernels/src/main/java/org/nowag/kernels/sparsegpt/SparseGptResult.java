package org.nowag.kernels.sparsegpt;

import java.util.BitSet;

/** What SparseGPT returns for one matrix. */
public final class SparseGptResult {
    /** The updated weights where kept (rounded to float), exactly 0 where pruned; row-major like the input. */
    public final float[] pruned;
    /** Bit i set = element i (row-major) kept. */
    public final BitSet keep;
    public final long keptCount;

    SparseGptResult(float[] pruned, BitSet keep, long keptCount) {
        this.pruned = pruned;
        this.keep = keep;
        this.keptCount = keptCount;
    }
}
