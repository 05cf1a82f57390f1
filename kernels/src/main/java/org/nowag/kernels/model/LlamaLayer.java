package org.nowag.kernels.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Llama decoder layer (also Mistral, Qwen2): pre-RMSNorm, RoPE, grouped-query causal attention, SwiGLU MLP,
 * two residual connections. Loading it reads only this layer's tensors from the {@link WeightSource}, so a caller
 * can stream a model layer by layer. Linear biases (Qwen2's q/k/v, attention_bias, mlp_bias) are used when present.
 *
 * <pre>
 *   h   = x + o_proj(attention(rope(q_proj(n)), rope(k_proj(n)), v_proj(n)))   n = input_layernorm(x)
 *   out = h + down_proj(silu(gate_proj(m)) * up_proj(m))                         m = post_attention_layernorm(h)
 * </pre>
 */
public final class LlamaLayer {
    private static final String[] LINEAR_SUFFIXES = {
        "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
        "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"};

    private final LlamaConfig config;
    private final int index;
    private final float[] inputNorm;
    private final float[] postAttentionNorm;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final Linear gate;
    private final Linear up;
    private final Linear down;
    private final RotaryEmbedding rope;

    private LlamaLayer(LlamaConfig config, int index, float[] inputNorm, float[] postAttentionNorm, Linear q, Linear k,
                       Linear v, Linear o, Linear gate, Linear up, Linear down) {
        this.config = config;
        this.index = index;
        this.inputNorm = inputNorm;
        this.postAttentionNorm = postAttentionNorm;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.rope = RotaryEmbedding.of(config);
    }

    /** "model.layers.N." */
    public static String prefix(int layer) {
        return "model.layers." + layer + ".";
    }

    /** The 7 linear weights of a layer, in the order the forward pass uses (and reports) them. */
    public static List<String> linearWeightNames(int layer) {
        List<String> names = new ArrayList<>();
        for (String s : LINEAR_SUFFIXES) names.add(prefix(layer) + s);
        return names;
    }

    /** Reads this layer's weights (and nothing else) and checks every shape against the config. */
    public static LlamaLayer load(WeightSource source, LlamaConfig config, int layer) throws IOException {
        if (layer < 0 || layer >= config.numHiddenLayers()) {
            throw new IllegalArgumentException("layer " + layer + " outside 0.." + (config.numHiddenLayers() - 1));
        }
        String p = prefix(layer);
        if (source.find(p + "self_attn.q_norm.weight") != null) {
            throw new IllegalArgumentException(p + "self_attn.q_norm.weight: per-head q/k RMSNorm (Qwen3) is not supported");
        }
        int d = config.hiddenSize();
        int qOut = config.numAttentionHeads() * config.headDim();
        int kvOut = config.numKeyValueHeads() * config.headDim();
        int ff = config.intermediateSize();
        float[] n1 = source.require(p + "input_layernorm.weight").requireShape(d).values();
        float[] n2 = source.require(p + "post_attention_layernorm.weight").requireShape(d).values();
        return new LlamaLayer(config, layer, n1, n2,
                Linear.load(source, p + "self_attn.q_proj.weight", qOut, d),
                Linear.load(source, p + "self_attn.k_proj.weight", kvOut, d),
                Linear.load(source, p + "self_attn.v_proj.weight", kvOut, d),
                Linear.load(source, p + "self_attn.o_proj.weight", d, qOut),
                Linear.load(source, p + "mlp.gate_proj.weight", ff, d),
                Linear.load(source, p + "mlp.up_proj.weight", ff, d),
                Linear.load(source, p + "mlp.down_proj.weight", d, ff));
    }

    public int index() { return index; }

    /** The layer applied to hidden states [tokens x hidden_size]; the observer sees the input of each linear. */
    public HiddenStates forward(HiddenStates in, LinearInputObserver observer) {
        int d = config.hiddenSize();
        if (in.width() != d) {
            throw new IllegalArgumentException("layer " + index + ": hidden states are " + in.width() + " wide, hidden_size is " + d);
        }
        int n = in.tokens();
        float[] x = in.values();

        float[] normed = Norms.rmsNorm(x, d, inputNorm, config.rmsNormEps());
        Observed.report(observer, normed, d, in, q.weightName(), k.weightName(), v.weightName());
        float[] qs = q.apply(normed, n);
        float[] ks = k.apply(normed, n);
        float[] vs = v.apply(normed, n);
        rope.applyInPlace(qs, config.numAttentionHeads(), in);
        rope.applyInPlace(ks, config.numKeyValueHeads(), in);
        float[] context = Attention.attend(qs, ks, vs, in, config.numAttentionHeads(), config.numKeyValueHeads(),
                config.headDim(), true);
        Observed.report(observer, context, o.in(), in, o.weightName());
        float[] h = o.apply(context, n);
        Norms.addInPlace(h, x);

        float[] m = Norms.rmsNorm(h, d, postAttentionNorm, config.rmsNormEps());
        Observed.report(observer, m, d, in, gate.weightName(), up.weightName());
        float[] g = gate.apply(m, n);
        Activations.swigluInPlace(g, up.apply(m, n));
        Observed.report(observer, g, down.in(), in, down.weightName());
        float[] out = down.apply(g, n);
        Norms.addInPlace(out, h);
        return in.with(out, d);
    }
}
