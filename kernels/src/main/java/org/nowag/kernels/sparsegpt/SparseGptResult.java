package org.nowag.kernels.sparsegpt;

import java.util.BitSet;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneResult;

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

    /**
     * This result with the figures every pruning method reports, so SparseGPT compares on the same scale: the NoWag
     * proxy loss sum s_j (W_bar - W_hat_bar)^2 with W_hat normalized by W's own norms (colNorms of the whole W, row
     * norms computed here), the proxy energy sum s_j W_bar^2, and the diagonal data-aware loss sum s_j (W - W_hat)^2.
     * Unlike the other methods, kept weights change here, so their changes count too. s == null: all ones.
     */
    public PruneResult withLosses(float[] w, int rows, int cols, float[] colNorms, float[] s) {
        float[] rowNorms = NoWagNormalizer.rowNorms(w, rows, cols, colNorms);
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, colNorms, rowNorms);
        float[] hatBar = NoWagNormalizer.normalize(pruned, rows, cols, colNorms, rowNorms);
        double proxyLoss = ProxyLoss.normalized(wBar, hatBar, rows, cols, s);
        double proxyEnergy = ProxyLoss.normalized(wBar, new float[w.length], rows, cols, s);
        double dataAware = ProxyLoss.dataAware(w, pruned, rows, cols, s);
        return new PruneResult(pruned, keep, keptCount, proxyLoss, proxyEnergy, dataAware);
    }
}
