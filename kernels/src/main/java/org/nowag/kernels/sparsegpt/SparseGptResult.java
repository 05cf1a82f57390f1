package org.nowag.kernels.sparsegpt;

import java.util.BitSet;
import org.nowag.kernels.Checks;
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
        Checks.matrix(pruned, rows, cols, "pruned");
        Checks.activationDiagonal(s, cols);
        // One pass, no n-sized temporaries (W_bar, W_hat_bar and a zero matrix would be 3 more floats per weight):
        // the same float normalisation and double terms, in the same order, as NoWagNormalizer.normalize followed
        // by ProxyLoss.normalized, so the sums are the same to the bit.
        double proxyLoss = 0;
        double proxyEnergy = 0;
        for (int i = 0, k = 0; i < rows; i++) {
            float r = rowNorms[i];
            for (int j = 0; j < cols; j++, k++) {
                float sj = s == null ? 1f : s[j];
                double wBar = NoWagNormalizer.normalized(w[k], colNorms[j], r);
                double hatBar = NoWagNormalizer.normalized(pruned[k], colNorms[j], r);
                proxyLoss += ProxyLoss.term(sj, wBar - hatBar);
                proxyEnergy += ProxyLoss.term(sj, wBar - 0.0);
            }
        }
        double dataAware = ProxyLoss.dataAware(w, pruned, rows, cols, s);
        return new PruneResult(pruned, keep, keptCount, proxyLoss, proxyEnergy, dataAware);
    }
}
