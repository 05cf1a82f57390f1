package org.nowag.kernels.prune;

import java.util.BitSet;

/** What a pruning kernel returns for one block (or one whole matrix). */
public final class PruneResult {
    /** Original values where kept, exactly 0 where pruned; same layout as the input. */
    public final float[] pruned;
    /** Bit i set = element i (row-major) kept. */
    public final BitSet keep;
    public final long keptCount;
    /** sum_ij s_j (W_bar - W_bar * mask)^2: the NoWag proxy loss of this result. */
    public final double proxyLoss;
    /** sum_ij s_j W_bar_ij^2: the proxy loss of an all-zero matrix (the scale proxyLoss compares to). */
    public final double proxyEnergy;
    /** sum_ij s_j (W - W_hat)^2 in the original space. */
    public final double dataAwareLoss;

    public PruneResult(float[] pruned, BitSet keep, long keptCount, double proxyLoss, double proxyEnergy, double dataAwareLoss) {
        this.pruned = pruned;
        this.keep = keep;
        this.keptCount = keptCount;
        this.proxyLoss = proxyLoss;
        this.proxyEnergy = proxyEnergy;
        this.dataAwareLoss = dataAwareLoss;
    }
}
