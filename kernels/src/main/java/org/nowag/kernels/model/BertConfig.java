package org.nowag.kernels.model;

import java.io.Serializable;
import java.util.Map;

/**
 * The config.json fields a BERT encoder needs (BertModel, e.g. sentence-transformers/all-MiniLM-L6-v2).
 * Tensor names are HF BertModel's ("embeddings.word_embeddings.weight", "encoder.layer.N...."); checkpoints saved
 * from a task model carry a prefix ("bert."): give it with {@link #withTensorPrefix(String)}.
 */
public final class BertConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int vocabSize;
    private final int hiddenSize;
    private final int numHiddenLayers;
    private final int numAttentionHeads;
    private final int intermediateSize;
    private final int maxPositionEmbeddings;
    private final int typeVocabSize;
    private final double layerNormEps;
    private final String tensorPrefix;

    public BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
                      int maxPositionEmbeddings, int typeVocabSize, double layerNormEps) {
        this(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, maxPositionEmbeddings,
                typeVocabSize, layerNormEps, "");
    }

    private BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
                       int maxPositionEmbeddings, int typeVocabSize, double layerNormEps, String tensorPrefix) {
        LlamaConfig.positive(vocabSize, "vocab_size");
        LlamaConfig.positive(hiddenSize, "hidden_size");
        LlamaConfig.positive(numHiddenLayers, "num_hidden_layers");
        LlamaConfig.positive(numAttentionHeads, "num_attention_heads");
        LlamaConfig.positive(intermediateSize, "intermediate_size");
        LlamaConfig.positive(maxPositionEmbeddings, "max_position_embeddings");
        LlamaConfig.positive(typeVocabSize, "type_vocab_size");
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (!(layerNormEps > 0)) throw new IllegalArgumentException("layer_norm_eps must be > 0, got " + layerNormEps);
        this.vocabSize = vocabSize;
        this.hiddenSize = hiddenSize;
        this.numHiddenLayers = numHiddenLayers;
        this.numAttentionHeads = numAttentionHeads;
        this.intermediateSize = intermediateSize;
        this.maxPositionEmbeddings = maxPositionEmbeddings;
        this.typeVocabSize = typeVocabSize;
        this.layerNormEps = layerNormEps;
        this.tensorPrefix = tensorPrefix == null ? "" : tensorPrefix;
    }

    /**
     * From a parsed HF config.json: vocab_size, hidden_size, num_hidden_layers, num_attention_heads,
     * intermediate_size, max_position_embeddings (512), type_vocab_size (2), layer_norm_eps (1e-12).
     * hidden_act must be "gelu" (exact erf GELU) and position_embedding_type "absolute".
     */
    public static BertConfig fromHf(Map<String, ?> json) {
        HfConfigValues c = new HfConfigValues(json, "BERT");
        String act = c.stringOr("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException("BERT config.json: hidden_act \"" + act + "\" is not supported (only gelu, the exact erf form)");
        }
        String pos = c.stringOr("position_embedding_type", "absolute");
        if (!pos.equals("absolute")) {
            throw new IllegalArgumentException("BERT config.json: position_embedding_type \"" + pos + "\" is not supported (only absolute)");
        }
        return new BertConfig(c.requireInt("vocab_size"), c.requireInt("hidden_size"), c.requireInt("num_hidden_layers"),
                c.requireInt("num_attention_heads"), c.requireInt("intermediate_size"),
                c.intOr("max_position_embeddings", 512), c.intOr("type_vocab_size", 2), c.doubleOr("layer_norm_eps", 1e-12));
    }

    public BertConfig withTensorPrefix(String prefix) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                maxPositionEmbeddings, typeVocabSize, layerNormEps, prefix);
    }

    public int vocabSize() { return vocabSize; }
    public int hiddenSize() { return hiddenSize; }
    public int numHiddenLayers() { return numHiddenLayers; }
    public int numAttentionHeads() { return numAttentionHeads; }
    public int headDim() { return hiddenSize / numAttentionHeads; }
    public int intermediateSize() { return intermediateSize; }
    public int maxPositionEmbeddings() { return maxPositionEmbeddings; }
    public int typeVocabSize() { return typeVocabSize; }
    public double layerNormEps() { return layerNormEps; }
    public String tensorPrefix() { return tensorPrefix; }
}
