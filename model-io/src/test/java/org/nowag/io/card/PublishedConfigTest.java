package org.nowag.io.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode config(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static final String LLAMA = "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\", "
            + "\"hidden_size\": 64, \"torch_dtype\": \"bfloat16\"}";

    @Test
    void aPrunedConfigIsTheInputsPlusASparsityConfigAndNoPrivateBlock() throws Exception {
        ObjectNode in = config(LLAMA.replace("}", ", \"compression\": {\"method\": \"wanda\"}, "
                + "\"nowag_decompressed_from\": {\"format\": \"nowag-vq-v1\"}}"));
        SparsityConfig s = new SparsityConfig(List.of("model.layers.0.mlp.up_proj.weight",
                "model.layers.0.self_attn.q_proj.weight"), List.of("lm_head.weight"), 0.5, "2:4");
        ObjectNode out = PublishedConfig.pruned(in, s);
        assertFalse(out.has("compression"));
        assertFalse(out.has("nowag_decompressed_from"));
        assertEquals("llama", out.get("model_type").asText());
        assertEquals("LlamaForCausalLM", out.get("architectures").get(0).asText());
        assertEquals(64, out.get("hidden_size").asInt());
        JsonNode sc = out.get("sparsity_config");
        assertEquals("dense", sc.get("format").asText());
        assertEquals("[\"model.layers.0.mlp.up_proj\",\"model.layers.0.self_attn.q_proj\"]", sc.get("targets").toString());
        assertEquals("[\"lm_head\"]", sc.get("ignore").toString());
        assertEquals(0.5, sc.get("global_sparsity").asDouble());
        assertEquals("2:4", sc.get("sparsity_structure").asText());
        assertFalse(out.has("quantization_config"), "a dense model must not ask for a quantizer");
        assertTrue(in.has("compression"), "the input node is not changed");
    }

    @Test
    void unstructuredPatternsAreUnstructuredAndSparsityMustBeAFraction() {
        assertEquals("unstructured", SparsityConfig.structureOf("unstructured:0.5:row"));
        assertEquals("4:8", SparsityConfig.structureOf("4:8"));
        assertThrows(IllegalArgumentException.class, () -> new SparsityConfig(List.of(), List.of(), 1.5, "2:4"));
        assertThrows(IllegalArgumentException.class, () -> new SparsityConfig(List.of(), List.of(), Double.NaN, "2:4"));
    }

    @Test
    void aRawConfigDeclaresItsFormatAndKeepsTheBaseForDecompress() throws Exception {
        ObjectNode in = config(LLAMA);
        ObjectNode description = config("{\"subvector_dim\": 4, \"quant_method\": \"llama-trick\", "
                + "\"tensors\": {\"w.weight\": {\"dtype\": \"BF16\", \"shape\": [8, 12]}}}");
        ObjectNode raw = PublishedConfig.raw(in, RawFormat.NOWAG_VQ, description);
        assertEquals("nowag_vq", raw.get("model_type").asText());
        assertEquals("[\"NowagVqCompressedModel\"]", raw.get("architectures").toString());
        JsonNode q = raw.get("quantization_config");
        assertEquals("nowag-vq", q.get("quant_method").asText(), "the description cannot override the method");
        assertEquals(1, q.get("format_version").asInt());
        assertEquals(4, q.get("subvector_dim").asInt());
        assertEquals("llama", raw.get("nowag_original").get("model_type").asText());

        PublishedConfig.Declared d = PublishedConfig.rawFormatOf("config.json", raw);
        assertEquals(RawFormat.NOWAG_VQ, d.format);
        assertEquals(1, d.version);
        assertEquals(12, d.tensors().get("w.weight").get("shape").get(1).asInt());
        assertEquals("llama", PublishedConfig.baseModelType(raw));

        assertEquals(in, PublishedConfig.restored(raw), "decompress gives back the base config exactly");
    }

    @Test
    void remoteCodeCannotBuildTheBaseModelAroundARawFolder() throws Exception {
        ObjectNode in = config("{\"model_type\": \"custom\", \"auto_map\": {\"AutoConfig\": \"conf.CustomConfig\"}}");
        ObjectNode raw = PublishedConfig.raw(in, RawFormat.NOWAG_VQ, JSON.createObjectNode());
        assertFalse(raw.has("auto_map"), "transformers would run the remote config class with trust_remote_code");
        assertEquals(in, PublishedConfig.restored(raw));
    }

    @Test
    void restoringAConfigWithoutModelTypeLeavesNoneBehind() throws Exception {
        ObjectNode in = config("{\"hidden_size\": 8}");
        ObjectNode raw = PublishedConfig.raw(in, RawFormat.ARMOR, JSON.createObjectNode());
        assertEquals("nowag_armor", raw.get("model_type").asText());
        assertEquals(in, PublishedConfig.restored(raw));
    }

    @Test
    void oldOutputsAreStillReadAndNewerVersionsAreRefused() throws Exception {
        ObjectNode old = config("{\"model_type\": \"llama\", \"compression\": {\"format\": \"nowag-armor-v1\", "
                + "\"tensors\": {\"a.weight\": {\"dtype\": \"F32\", \"shape\": [4, 4]}}}}");
        PublishedConfig.Declared d = PublishedConfig.rawFormatOf("config.json", old);
        assertEquals(RawFormat.ARMOR, d.format);
        assertEquals(0, d.version);
        assertTrue(d.tensors().has("a.weight"));
        ObjectNode restored = PublishedConfig.restored(old);
        assertEquals(config("{\"model_type\": \"llama\"}"), restored);

        assertNull(PublishedConfig.rawFormatOf("config.json", config(LLAMA)));
        assertNull(PublishedConfig.rawFormatOf("config.json", config("{\"quantization_config\": {\"quant_method\": \"gptq\"}}")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublishedConfig.rawFormatOf(
                "out/config.json", config("{\"quantization_config\": {\"quant_method\": \"armor\", \"format_version\": 2}}")));
        assertTrue(e.getMessage().contains("out/config.json") && e.getMessage().contains("newer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PublishedConfig.rawFormatOf(
                "c", config("{\"quantization_config\": {\"quant_method\": \"nowag-vq\"}}")));
        assertTrue(e.getMessage().contains("format_version"), e.getMessage());
    }
}
