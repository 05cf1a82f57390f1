package org.nowag.kernels.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded random weights for tiny Llama and BERT models, under their real HF names. */
final class TinyWeights {
    private TinyWeights() {}

    static LlamaConfig tinyLlama() {
        // dim 16, 2 layers, 4 heads of 4, 2 KV heads, vocab 50
        return new LlamaConfig(50, 16, 32, 2, 4, 2).withRmsNormEps(1e-5).withRopeTheta(10000.0);
    }

    static Map<String, Tensor> llama(LlamaConfig c, long seed, boolean lmHead, boolean qkvBias) {
        Random rnd = new Random(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int d = c.hiddenSize();
        int q = c.numAttentionHeads() * c.headDim();
        int kv = c.numKeyValueHeads() * c.headDim();
        int ff = c.intermediateSize();
        put(w, "model.embed_tokens.weight", rnd, 1.0, 0, c.vocabSize(), d);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            put(w, p + "input_layernorm.weight", rnd, 0.2, 1.0, d);
            put(w, p + "self_attn.q_proj.weight", rnd, 0.4, 0, q, d);
            put(w, p + "self_attn.k_proj.weight", rnd, 0.4, 0, kv, d);
            put(w, p + "self_attn.v_proj.weight", rnd, 0.4, 0, kv, d);
            if (qkvBias) {
                put(w, p + "self_attn.q_proj.bias", rnd, 0.3, 0, q);
                put(w, p + "self_attn.k_proj.bias", rnd, 0.3, 0, kv);
                put(w, p + "self_attn.v_proj.bias", rnd, 0.3, 0, kv);
            }
            put(w, p + "self_attn.o_proj.weight", rnd, 0.3, 0, d, q);
            put(w, p + "post_attention_layernorm.weight", rnd, 0.2, 1.0, d);
            put(w, p + "mlp.gate_proj.weight", rnd, 0.3, 0, ff, d);
            put(w, p + "mlp.up_proj.weight", rnd, 0.3, 0, ff, d);
            put(w, p + "mlp.down_proj.weight", rnd, 0.2, 0, d, ff);
        }
        put(w, "model.norm.weight", rnd, 0.2, 1.0, d);
        if (lmHead) put(w, "lm_head.weight", rnd, 0.5, 0, c.vocabSize(), d);
        return w;
    }

    static BertConfig tinyBert() {
        return new BertConfig(40, 16, 2, 4, 24, 12, 2, 1e-12);
    }

    static Map<String, Tensor> bert(BertConfig c, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int d = c.hiddenSize();
        int ff = c.intermediateSize();
        put(w, "embeddings.word_embeddings.weight", rnd, 1.0, 0, c.vocabSize(), d);
        put(w, "embeddings.position_embeddings.weight", rnd, 0.5, 0, c.maxPositionEmbeddings(), d);
        put(w, "embeddings.token_type_embeddings.weight", rnd, 0.5, 0, c.typeVocabSize(), d);
        put(w, "embeddings.LayerNorm.weight", rnd, 0.2, 1.0, d);
        put(w, "embeddings.LayerNorm.bias", rnd, 0.1, 0, d);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String s : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                put(w, p + s + ".weight", rnd, 0.4, 0, d, d);
                put(w, p + s + ".bias", rnd, 0.1, 0, d);
            }
            put(w, p + "attention.output.LayerNorm.weight", rnd, 0.2, 1.0, d);
            put(w, p + "attention.output.LayerNorm.bias", rnd, 0.1, 0, d);
            put(w, p + "intermediate.dense.weight", rnd, 0.4, 0, ff, d);
            put(w, p + "intermediate.dense.bias", rnd, 0.1, 0, ff);
            put(w, p + "output.dense.weight", rnd, 0.3, 0, d, ff);
            put(w, p + "output.dense.bias", rnd, 0.1, 0, d);
            put(w, p + "output.LayerNorm.weight", rnd, 0.2, 1.0, d);
            put(w, p + "output.LayerNorm.bias", rnd, 0.1, 0, d);
        }
        return w;
    }

    static int[] ids(int length, int vocab, long seed) {
        Random rnd = new Random(seed);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = rnd.nextInt(vocab);
        return ids;
    }

    private static void put(Map<String, Tensor> w, String name, Random rnd, double std, double mean, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * rnd.nextGaussian());
        w.put(name, new Tensor(name, v, shape));
    }
}
