package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MiniLmConfigTest {

    /** Shared with the end-to-end test, which checks the written config.json the same way. */
    static void assertBertModelConfig(byte[] json) throws Exception {
        JsonNode c = new ObjectMapper().readTree(json);
        assertEquals(1, c.get("architectures").size());
        assertEquals("BertModel", c.get("architectures").get(0).asText());
        assertEquals("bert", c.get("model_type").asText());
        assertEquals(384, c.get("hidden_size").asInt());
        assertEquals(6, c.get("num_hidden_layers").asInt());
        assertEquals(12, c.get("num_attention_heads").asInt());
        assertEquals(1536, c.get("intermediate_size").asInt());
        assertEquals("gelu", c.get("hidden_act").asText());
        assertEquals(30522, c.get("vocab_size").asInt());
        assertEquals(512, c.get("max_position_embeddings").asInt());
        assertEquals(2, c.get("type_vocab_size").asInt());
        assertEquals(1e-12, c.get("layer_norm_eps").asDouble());
        assertEquals(0.1, c.get("hidden_dropout_prob").asDouble());
        assertEquals(0.1, c.get("attention_probs_dropout_prob").asDouble());
        assertEquals(0, c.get("pad_token_id").asInt());
        assertEquals("float32", c.get("torch_dtype").asText());
        assertEquals(true, c.get("hidden_size").isInt(), "integers are written as JSON integers");
    }

    @Test
    void configIsAHuggingFaceBertModelConfigForMiniLm() throws Exception {
        assertBertModelConfig(MiniLmConfig.json());
    }

    @Test
    void headsDivideTheHiddenSize() {
        assertEquals(0, MiniLmArchitecture.HIDDEN % MiniLmArchitecture.HEADS);
    }
}
