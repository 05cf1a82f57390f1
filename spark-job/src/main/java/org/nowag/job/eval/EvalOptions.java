package org.nowag.job.eval;

import java.util.ArrayList;
import java.util.List;

/** What {@code nowag evaluate} measures (see {@link Evaluator}). */
public final class EvalOptions {
    public String model;
    public String compare;
    public List<String> texts = new ArrayList<>();
    /** Where evaluation.json goes; null: COMPARE/evaluation.json. */
    public String out;
    /** Encoders: the first this many chunks (paragraphs, or sentences when a text has no line breaks). */
    public int maxChunks = 256;
    /** Encoders: tokens per chunk at most (longer ones are cut, keeping the closing special token); 0: min(256, positions). */
    public int maxTokens;
    /** Encoders: neighbours compared per chunk for the top-k overlap. */
    public int topK = 10;
    /** Causal LMs: tokens per window; 0: min(1024, positions). */
    public int context;
    /** Causal LMs: window step; 0: context / 2. */
    public int stride;
    /** Causal LMs: score at most this many tokens of the text (its start); 0: all. */
    public int maxEvalTokens;
    /** Spark tasks; 0: Spark's default parallelism. */
    public int partitions;
}
