package org.nowag.kernels.model;

import java.io.Serializable;
import java.util.Map;

/**
 * The config.json fields a Llama-family forward pass needs (Llama 2/3, Mistral without sliding window, Qwen2).
 * Build it from a parsed config.json with {@link #fromHf(Map)}, or directly for tests.
 */
public final class LlamaConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int vocabSize;
    private final int hiddenSize;
    private final int intermediateSize;
    private final int numHiddenLayers;
    private final int numAttentionHeads;
    private final int numKeyValueHeads;
    private final int headDim;
    private final double rmsNormEps;
    private final double ropeTheta;
    private final RopeScaling ropeScaling;
    private final boolean tieWordEmbeddings;

    /** Defaults as transformers' LlamaConfig: head_dim = hidden / heads, rms_norm_eps 1e-6, rope_theta 10000, untied. */
    public LlamaConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                       int numAttentionHeads, int numKeyValueHeads) {
        this(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0, 1e-6, 10000.0, RopeScaling.none(), false);
    }

    private LlamaConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                        int numKeyValueHeads, int headDim, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling,
                        boolean tieWordEmbeddings) {
        positive(vocabSize, "vocab_size");
        positive(hiddenSize, "hidden_size");
        positive(intermediateSize, "intermediate_size");
        positive(numHiddenLayers, "num_hidden_layers");
        positive(numAttentionHeads, "num_attention_heads");
        positive(numKeyValueHeads, "num_key_value_heads");
        positive(headDim, "head_dim");
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numAttentionHeads
                    + " must be a multiple of num_key_value_heads " + numKeyValueHeads);
        }
        if (headDim % 2 != 0) throw new IllegalArgumentException("head_dim " + headDim + " must be even for RoPE");
        if (!(rmsNormEps > 0)) throw new IllegalArgumentException("rms_norm_eps must be > 0, got " + rmsNormEps);
        if (!(ropeTheta > 0)) throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
        this.vocabSize = vocabSize;
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        this.numHiddenLayers = numHiddenLayers;
        this.numAttentionHeads = numAttentionHeads;
        this.numKeyValueHeads = numKeyValueHeads;
        this.headDim = headDim;
        this.rmsNormEps = rmsNormEps;
        this.ropeTheta = ropeTheta;
        this.ropeScaling = ropeScaling;
        this.tieWordEmbeddings = tieWordEmbeddings;
    }

    /**
     * From a parsed HF config.json: vocab_size, hidden_size, intermediate_size, num_hidden_layers,
     * num_attention_heads, num_key_value_heads (default: heads), head_dim (default hidden / heads),
     * rms_norm_eps (1e-6), rope_theta (10000), rope_scaling (none / linear / llama3), tie_word_embeddings (false).
     * hidden_act must be silu.
     */
    public static LlamaConfig fromHf(Map<String, ?> json) {
        HfConfigValues c = new HfConfigValues(json, "Llama");
        String act = c.stringOr("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("Llama config.json: hidden_act \"" + act + "\" is not supported (only silu)");
        }
        int hidden = c.requireInt("hidden_size");
        int heads = c.requireInt("num_attention_heads");
        return new LlamaConfig(c.requireInt("vocab_size"), hidden, c.requireInt("intermediate_size"),
                c.requireInt("num_hidden_layers"), heads, c.intOr("num_key_value_heads", heads),
                c.intOr("head_dim", heads > 0 ? hidden / heads : 0), c.doubleOr("rms_norm_eps", 1e-6),
                c.doubleOr("rope_theta", 10000.0), RopeScaling.fromHf(c), c.boolOr("tie_word_embeddings", false));
    }

    public LlamaConfig withHeadDim(int d) { return copy(d, rmsNormEps, ropeTheta, ropeScaling, tieWordEmbeddings); }

    public LlamaConfig withRmsNormEps(double eps) { return copy(headDim, eps, ropeTheta, ropeScaling, tieWordEmbeddings); }

    public LlamaConfig withRopeTheta(double theta) { return copy(headDim, rmsNormEps, theta, ropeScaling, tieWordEmbeddings); }

    public LlamaConfig withRopeScaling(RopeScaling s) { return copy(headDim, rmsNormEps, ropeTheta, s, tieWordEmbeddings); }

    public LlamaConfig withTiedEmbeddings(boolean tied) { return copy(headDim, rmsNormEps, ropeTheta, ropeScaling, tied); }

    private LlamaConfig copy(int hd, double eps, double theta, RopeScaling s, boolean tied) {
        return new LlamaConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, hd, eps, theta, s, tied);
    }

    public int vocabSize() { return vocabSize; }
    public int hiddenSize() { return hiddenSize; }
    public int intermediateSize() { return intermediateSize; }
    public int numHiddenLayers() { return numHiddenLayers; }
    public int numAttentionHeads() { return numAttentionHeads; }
    public int numKeyValueHeads() { return numKeyValueHeads; }
    public int headDim() { return headDim; }
    public double rmsNormEps() { return rmsNormEps; }
    public double ropeTheta() { return ropeTheta; }
    public RopeScaling ropeScaling() { return ropeScaling; }
    public boolean tieWordEmbeddings() { return tieWordEmbeddings; }

    static void positive(int v, String key) {
        if (v <= 0) throw new IllegalArgumentException(key + " must be > 0, got " + v);
    }
}
