package org.nowag.kernels.model;

import java.io.IOException;

/**
 * The final RMSNorm (model.norm.weight) and the LM head: logits = norm(h) W^T with W = lm_head.weight
 * [vocab x hidden], or the token embeddings when tie_word_embeddings is set or the model has no lm_head.weight.
 */
public final class LlamaHead {
    public static final String NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private final LlamaConfig config;
    private final float[] norm;
    private final Linear head;
    private final boolean tied;

    private LlamaHead(LlamaConfig config, float[] norm, Linear head, boolean tied) {
        this.config = config;
        this.norm = norm;
        this.head = head;
        this.tied = tied;
    }

    /** Reads model.norm.weight and lm_head.weight (or, tied, model.embed_tokens.weight). */
    public static LlamaHead load(WeightSource source, LlamaConfig config) throws IOException {
        float[] norm = source.require(NORM).requireShape(config.hiddenSize()).values();
        Tensor w = config.tieWordEmbeddings() ? null : source.find(LM_HEAD);
        boolean tied = w == null;
        if (tied) w = source.require(LlamaEmbedding.WEIGHT);
        w.requireShape(config.vocabSize(), config.hiddenSize());
        return new LlamaHead(config, norm, Linear.fromTensor(w, null), tied);
    }

    /** True when the head reuses the token embeddings. */
    public boolean tied() { return tied; }

    /** Logits [tokens x vocab], row-major, one row per packed token (the prediction of the next token). */
    public float[] logits(HiddenStates h) {
        float[] normed = Norms.rmsNorm(h.values(), config.hiddenSize(), norm, config.rmsNormEps());
        return head.apply(normed, h.tokens());
    }
}
