package org.nowag.tools.study;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nowag.job.eval.PairedBootstrap;

/** One measured row (public fields: Jackson writes them as they are into study.json). */
public final class StudyResult {
    public String id;
    public String method;
    public String setting;
    /** Stored bits per compressed weight, every overhead counted (see the study's docs for each method's terms). */
    public Double bitsPerWeight;
    /** NoWag proxy loss of the stored weights, relative to an all-zero matrix (see WeightLoss). */
    public Double proxyLoss;
    /** sum s_j (W - W_hat)^2 / sum s_j W^2 of the stored weights. */
    public Double dataAwareLoss;
    /** Held-out set name -> perplexity. */
    public Map<String, Double> perplexity = new LinkedHashMap<>();
    /** The row the intervals compare against (StudyIntervals): NoWag-P at the same budget, NoWag-VQ at the same bits; null: none. */
    public String reference;
    /** Held-out set -> ppl(this row) - ppl(reference row), with its paired bootstrap 95% interval over the windows. */
    public Map<String, PairedBootstrap.Interval> versusReference;
    /** Held-out set -> ppl(this row) - ppl(dense), likewise (from this row's own evaluation, which scores both). */
    public Map<String, PairedBootstrap.Interval> versusDense;
    /** Wall seconds of the compression (the compress call; RTN: quantize + write). */
    public Double compressSeconds;
    /** Wall seconds of the evaluations (all held-out sets; each also re-scores the dense model, as evaluate does). */
    public Double evaluateSeconds;
    public Integer tensorsCompressed;
    /** How the row was produced ("compress --method ...", or the study-only RTN path). */
    public String path;
    /** Set when the row failed; the study goes on with the next row. */
    public String error;
}
