package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad weights, configs and token ids are refused with a message naming the tensor, key or id. */
class ForwardBadInputTest {

    static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should name " + part);
    }

    @Test
    void missingTensorIsNamed() {
        LlamaConfig config = TinyWeights.tinyLlama();
        Map<String, Tensor> w = new HashMap<>(TinyWeights.llama(config, 1, true, false));
        w.remove("model.layers.1.mlp.up_proj.weight");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> LlamaModel.load(WeightSource.of(w), config)),
                "model.layers.1.mlp.up_proj.weight");
    }

    @Test
    void wrongShapeIsNamedWithBothShapes() {
        LlamaConfig config = TinyWeights.tinyLlama();
        Map<String, Tensor> w = new HashMap<>(TinyWeights.llama(config, 1, true, false));
        w.put("model.layers.0.self_attn.k_proj.weight", new Tensor("model.layers.0.self_attn.k_proj.weight", new float[16 * 16], 16, 16));
        Exception e = assertThrows(IllegalArgumentException.class, () -> LlamaLayer.load(WeightSource.of(w), config, 0));
        assertMessage(e, "k_proj.weight");
        assertMessage(e, "[16, 16]");
        assertMessage(e, "[8, 16]");
    }

    @Test
    void tokenIdOutsideTheVocabularyIsNamed() throws Exception {
        LlamaConfig config = TinyWeights.tinyLlama();
        LlamaModel model = LlamaModel.load(WeightSource.of(TinyWeights.llama(config, 1, true, false)), config);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.logits(TokenBatch.of(new int[] {3, 50}))), "50");
    }

    @Test
    void badConfigValuesAreNamed() {
        Map<String, Object> json = new HashMap<>();
        json.put("vocab_size", 50);
        json.put("hidden_size", 16);
        json.put("intermediate_size", 32);
        json.put("num_hidden_layers", 2);
        json.put("num_attention_heads", 4);
        json.put("num_key_value_heads", 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> LlamaConfig.fromHf(json)), "num_key_value_heads");
        json.put("num_key_value_heads", 2);
        json.put("hidden_act", "gelu");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> LlamaConfig.fromHf(json)), "hidden_act");
        json.put("hidden_act", "silu");
        Map<String, Object> scaling = new HashMap<>();
        scaling.put("rope_type", "yarn");
        json.put("rope_scaling", scaling);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> LlamaConfig.fromHf(json)), "yarn");
        json.remove("rope_scaling");
        json.remove("vocab_size");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> LlamaConfig.fromHf(json)), "vocab_size");
        json.put("vocab_size", 50.5);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> LlamaConfig.fromHf(json)), "vocab_size");
    }

    @Test
    void hfConfigReadsDefaultsAndLlama3Scaling() {
        Map<String, Object> json = new HashMap<>();
        json.put("vocab_size", 50);
        json.put("hidden_size", 16);
        json.put("intermediate_size", 32);
        json.put("num_hidden_layers", 2);
        json.put("num_attention_heads", 4);
        json.put("rope_theta", 500000.0);
        json.put("tie_word_embeddings", true);
        Map<String, Object> scaling = new HashMap<>();
        scaling.put("rope_type", "llama3");
        scaling.put("factor", 8.0);
        json.put("rope_scaling", scaling);
        LlamaConfig c = LlamaConfig.fromHf(json);
        assertTrue(c.numKeyValueHeads() == 4 && c.headDim() == 4 && c.tieWordEmbeddings() && c.ropeTheta() == 500000.0);
        assertTrue(c.ropeScaling().type() == RopeScaling.Type.LLAMA3);
    }
}
