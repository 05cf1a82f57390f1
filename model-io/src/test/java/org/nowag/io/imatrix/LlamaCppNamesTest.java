package org.nowag.io.imatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** llama.cpp names map to the HF Llama/Qwen2 names of the same weights; unknown names map to nothing. */
class LlamaCppNamesTest {
    @Test
    void everyDenseLinearOfALlamaBlockHasItsHuggingFaceName() {
        String[][] pairs = {
            {"blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight"},
            {"blk.1.attn_k.weight", "model.layers.1.self_attn.k_proj.weight"},
            {"blk.12.attn_v.weight", "model.layers.12.self_attn.v_proj.weight"},
            {"blk.3.attn_output.weight", "model.layers.3.self_attn.o_proj.weight"},
            {"blk.4.ffn_gate.weight", "model.layers.4.mlp.gate_proj.weight"},
            {"blk.5.ffn_up.weight", "model.layers.5.mlp.up_proj.weight"},
            {"blk.79.ffn_down.weight", "model.layers.79.mlp.down_proj.weight"},
            {"output.weight", "lm_head.weight"},
        };
        for (String[] p : pairs) assertEquals(Optional.of(p[1]), LlamaCppNames.toHf(p[0]), p[0]);
    }

    @Test
    void expertsAndUnknownNames() {
        assertEquals(Optional.of("model.layers.2.mlp.experts.7.up_proj.weight"), LlamaCppNames.expertToHf("blk.2.ffn_up_exps.weight", 7));
        assertTrue(LlamaCppNames.isExperts("blk.2.ffn_gate_exps.weight"));
        assertTrue(LlamaCppNames.toHf("blk.0.attn_qkv.weight").isEmpty());
        assertTrue(LlamaCppNames.toHf("token_embd.weight").isEmpty());
        assertTrue(LlamaCppNames.toHf("blk.0.ffn_up_exps.weight").isEmpty());
        assertTrue(LlamaCppNames.toHf("xblk.0.attn_q.weight").isEmpty());
    }
}
