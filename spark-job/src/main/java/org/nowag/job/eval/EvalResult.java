package org.nowag.job.eval;

import java.io.Serializable;
import java.util.ArrayList;
import org.nowag.kernels.model.Perplexity;

/** What one {@link EvalTask} returns: embeddings per chunk (encoders) or loss sums (causal LMs), per model. */
public final class EvalResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public ArrayList<float[]> original = new ArrayList<>();
    public ArrayList<float[]> compared = new ArrayList<>();
    public Perplexity originalLoss = new Perplexity();
    public Perplexity comparedLoss = new Perplexity();
}
