package org.nowag.kernels.model;

import java.io.Serializable;

/**
 * Next-token negative log-likelihood summed in double, and the perplexity exp(sum / count) it gives.
 * Mergeable: Spark tasks each score their windows and the driver adds the partial sums.
 */
public final class Perplexity implements Serializable {
    private static final long serialVersionUID = 1L;

    private double nllSum;
    private long count;

    public Perplexity() { }

    /**
     * Scores every sequence of the batch: the logits row of position t - 1 predicts token t, for every
     * t >= firstTarget (firstTarget >= 1; a larger value leaves the first tokens as context only, as a strided
     * evaluation does). Padding targets (attention mask 0) are skipped.
     */
    public Perplexity addNextTokenLosses(float[] logits, int vocab, TokenBatch batch, int firstTarget) {
        return addNextTokenLosses(logits, vocab, batch, firstTarget, null);
    }

    /**
     * As {@link #addNextTokenLosses(float[], int, TokenBatch, int)}, and each token's loss also goes into
     * {@code perSequence[s]} of its sequence (when not null): per-window sums for a paired bootstrap, with the
     * total summed in the same order as without them.
     */
    public Perplexity addNextTokenLosses(float[] logits, int vocab, TokenBatch batch, int firstTarget, Perplexity[] perSequence) {
        if (perSequence != null && perSequence.length != batch.sequences()) {
            throw new IllegalArgumentException("perSequence holds " + perSequence.length + " sums for " + batch.sequences() + " sequences");
        }
        if (firstTarget < 1) throw new IllegalArgumentException("firstTarget must be >= 1 (token 0 has no prediction), got " + firstTarget);
        if ((long) batch.tokens() * vocab != logits.length) {
            throw new IllegalArgumentException("logits hold " + logits.length + " values, expected " + batch.tokens() + " tokens x " + vocab);
        }
        int[] starts = batch.starts();
        boolean[] padding = batch.padding();
        for (int s = 0; s < batch.sequences(); s++) {
            int[] ids = batch.ids(s);
            for (int t = firstTarget; t < ids.length; t++) {
                if (padding != null && padding[starts[s] + t]) continue;
                double nll = -TokenLoss.logProbability(logits, starts[s] + t - 1, vocab, ids[t]);
                add(nll);
                if (perSequence != null) perSequence[s].add(nll);
            }
        }
        return this;
    }

    /** Adds one token's -log p. */
    public void add(double nll) {
        if (!Double.isFinite(nll)) throw new IllegalArgumentException("negative log-likelihood is " + nll);
        nllSum += nll;
        count++;
    }

    public Perplexity merge(Perplexity other) {
        nllSum += other.nllSum;
        count += other.count;
        return this;
    }

    public double nllSum() { return nllSum; }

    public long count() { return count; }

    /** Mean NLL in nats per token. */
    public double meanNll() {
        if (count == 0) throw new IllegalStateException("no tokens scored");
        return nllSum / count;
    }

    public double perplexity() { return Math.exp(meanNll()); }
}
