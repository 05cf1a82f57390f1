package org.nowag.job.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result of {@code nowag evaluate}, as printed and as written to evaluation.json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Evaluation {
    public String kind;  // "encoder" or "causal-lm"
    public String original;
    public String compared;
    public List<String> texts = new ArrayList<>();
    /** Of the inputs and settings (EvaluationOutput): a re-run with the same one reads this file instead of computing. */
    public String fingerprint;

    // Encoders.
    public Integer chunks;
    public Integer maxTokens;
    public Double meanCosine;
    public Double minCosine;
    public Double top1Agreement;
    public Integer topK;
    public Double topKOverlap;
    /** Cosine of each chunk, in chunk order: lets a reader pair two compressed models chunk by chunk. */
    public List<Double> chunkCosines;

    // Causal LMs.
    public Integer context;
    public Integer stride;
    public Long tokensScored;
    public Double originalPerplexity;
    public Double comparedPerplexity;
    public Double originalMeanNll;
    public Double comparedMeanNll;
    /**
     * Per window, in window order (window w starts at token w * stride): the tokens it scores and each model's summed
     * NLL over them. Two evaluations of the same text with the same tokenizer, context and stride score the same
     * windows, so they can be compared window by window ({@link PairedBootstrap}, {@code nowag compare-eval}).
     */
    public long[] windowTokens;
    public double[] originalWindowNll;
    public double[] comparedWindowNll;

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void print(PrintStream out) {
        if ("encoder".equals(kind)) {
            out.printf(Locale.ROOT, "%d chunks (at most %d tokens each) of %s%n", chunks, maxTokens, String.join(", ", texts));
            out.printf(Locale.ROOT, "%-34s %12s %12s%n", "metric", "original", "compressed");
            out.printf(Locale.ROOT, "%-34s %12.6f %12.6f%n", "embedding cosine to original, mean", 1.0, meanCosine);
            out.printf(Locale.ROOT, "%-34s %12.6f %12.6f%n", "embedding cosine to original, min", 1.0, minCosine);
            out.printf(Locale.ROOT, "%-34s %12.4f %12.4f%n", "nearest neighbour agrees (top-1)", 1.0, top1Agreement);
            out.printf(Locale.ROOT, "%-34s %12.4f %12.4f%n", "top-" + topK + " neighbour overlap", 1.0, topKOverlap);
        } else {
            out.printf(Locale.ROOT, "%d tokens scored, context %d, stride %d, of %s%n", tokensScored, context, stride, String.join(", ", texts));
            out.printf(Locale.ROOT, "%-34s %12s %12s%n", "metric", "original", "compressed");
            out.printf(Locale.ROOT, "%-34s %12.4f %12.4f%n", "perplexity", originalPerplexity, comparedPerplexity);
            out.printf(Locale.ROOT, "%-34s %12.6f %12.6f%n", "mean NLL (nats/token)", originalMeanNll, comparedMeanNll);
        }
    }
}
