package org.nowag.job.eval;

import java.io.Serializable;
import java.util.ArrayList;
import org.nowag.kernels.model.Perplexity;

/**
 * What one {@link EvalTask} returns: embeddings per chunk (encoders) or loss sums (causal LMs), per model, in total and
 * per window (for paired comparisons of two evaluations of the same windows, see {@link PairedBootstrap}).
 */
public final class EvalResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public ArrayList<float[]> original = new ArrayList<>();
    public ArrayList<float[]> compared = new ArrayList<>();
    public Perplexity originalLoss = new Perplexity();
    public Perplexity comparedLoss = new Perplexity();
    /** Causal LMs: the global index of this task's first window; window i of the arrays below is firstWindow + i. */
    public int firstWindow;
    /** Causal LMs, per window of this task in order: tokens scored, and each model's summed NLL over them. */
    public long[] windowTokens = new long[0];
    public double[] originalWindowNll = new double[0];
    public double[] comparedWindowNll = new double[0];
}
