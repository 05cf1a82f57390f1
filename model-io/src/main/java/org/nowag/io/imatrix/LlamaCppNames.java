package org.nowag.io.imatrix;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama.cpp (GGUF) tensor names to Hugging Face Llama/Qwen2 names: {@code blk.N.attn_q.weight} is
 * {@code model.layers.N.self_attn.q_proj.weight}, and so on. Mixture-of-experts tensors ({@code ffn_*_exps}) hold
 * every expert; expert E maps to {@code model.layers.N.mlp.experts.E.*_proj.weight} (Qwen-MoE / DeepSeek naming;
 * Mixtral's w1/w2/w3 names are not produced).
 */
public final class LlamaCppNames {
    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.([a-z_]+)\\.weight");
    private static final Map<String, String> DENSE = Map.of(
            "attn_q", "self_attn.q_proj",
            "attn_k", "self_attn.k_proj",
            "attn_v", "self_attn.v_proj",
            "attn_output", "self_attn.o_proj",
            "ffn_gate", "mlp.gate_proj",
            "ffn_up", "mlp.up_proj",
            "ffn_down", "mlp.down_proj");
    private static final Map<String, String> EXPERTS = Map.of(
            "ffn_gate_exps", "gate_proj",
            "ffn_up_exps", "up_proj",
            "ffn_down_exps", "down_proj");

    private LlamaCppNames() {}

    /** The HF name of a dense linear weight, or empty for a name this mapping does not know. */
    public static Optional<String> toHf(String llamaCppName) {
        if ("output.weight".equals(llamaCppName)) return Optional.of("lm_head.weight");
        Matcher m = BLOCK.matcher(llamaCppName);
        if (!m.matches() || !DENSE.containsKey(m.group(2))) return Optional.empty();
        return Optional.of("model.layers." + m.group(1) + "." + DENSE.get(m.group(2)) + ".weight");
    }

    /** Whether the name is a stacked mixture-of-experts weight (one slice per expert). */
    public static boolean isExperts(String llamaCppName) {
        Matcher m = BLOCK.matcher(llamaCppName);
        return m.matches() && EXPERTS.containsKey(m.group(2));
    }

    /** The HF name of expert e of a stacked mixture-of-experts weight, or empty when it is not one. */
    public static Optional<String> expertToHf(String llamaCppName, int expert) {
        Matcher m = BLOCK.matcher(llamaCppName);
        if (!m.matches() || !EXPERTS.containsKey(m.group(2))) return Optional.empty();
        return Optional.of("model.layers." + m.group(1) + ".mlp.experts." + expert + "." + EXPERTS.get(m.group(2)) + ".weight");
    }
}
