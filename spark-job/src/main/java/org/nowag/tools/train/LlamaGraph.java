package org.nowag.tools.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.model.LlamaConfig;

/**
 * A Hugging Face {@code LlamaForCausalLM} written as a SameDiff graph for a fixed batch shape [batch x seq]:
 * token embedding, per layer pre-RMSNorm, RoPE (HF's rotate_half convention, config's rope_theta), grouped-query
 * causal attention, SwiGLU MLP, a final RMSNorm and an untied lm_head. Variables carry the HF tensor names and
 * the HF [out, in] layout, so the weights go to safetensors as they are.
 *
 * <p>Grouped-query attention without copying K/V: query heads h*g .. h*g+g-1 share KV head h (HF's repeat_kv),
 * and those heads are contiguous, so [batch, heads, seq, d] reshapes to [batch, kvHeads, g*seq, d] and one batched
 * matmul per KV head does the work.
 *
 * <p>Placeholders: {@code input_ids} int32 [batch, seq] and {@code labels} int32 [batch*seq]. Outputs:
 * {@code logits} [batch*seq, vocab] and {@code loss}, the mean next-token cross-entropy.
 */
public final class LlamaGraph {
    public static final String INPUT_IDS = "input_ids";
    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";
    public static final String LOSS = "loss";

    private final SameDiff sd;
    private final LlamaConfig config;
    private final int batch;
    private final int seq;
    private final DataType dtype;

    private LlamaGraph(SameDiff sd, LlamaConfig config, int batch, int seq, DataType dtype) {
        this.sd = sd;
        this.config = config;
        this.batch = batch;
        this.seq = seq;
        this.dtype = dtype;
    }

    /** The HF names and shapes of every trainable tensor, in a fixed order (the order checkpoints use). */
    public static Map<String, long[]> parameterShapes(LlamaConfig c) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long ff = c.intermediateSize();
        shapes.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {h});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {q, h});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {h, q});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {h});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {ff, h});
            shapes.put(p + "mlp.up_proj.weight", new long[] {ff, h});
            shapes.put(p + "mlp.down_proj.weight", new long[] {h, ff});
        }
        shapes.put("model.norm.weight", new long[] {h});
        shapes.put("lm_head.weight", new long[] {c.vocabSize(), h});
        return shapes;
    }

    /**
     * Builds the graph over the given weights (by HF name; each array is used as the variable's value, not
     * copied, and must already have the graph's data type).
     */
    public static LlamaGraph build(LlamaConfig c, int batch, int seq, Map<String, INDArray> weights) {
        if (batch <= 0 || seq <= 0) throw new IllegalArgumentException("batch and seq must be > 0, got " + batch + " x " + seq);
        DataType dtype = weights.get("model.embed_tokens.weight").dataType();
        SameDiff sd = SameDiff.create();
        LlamaGraph g = new LlamaGraph(sd, c, batch, seq, dtype);
        for (Map.Entry<String, long[]> e : parameterShapes(c).entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null) throw new IllegalArgumentException("no weight " + e.getKey());
            if (!java.util.Arrays.equals(w.shape(), e.getValue())) {
                throw new IllegalArgumentException(e.getKey() + " has shape " + java.util.Arrays.toString(w.shape())
                        + ", the config needs " + java.util.Arrays.toString(e.getValue()));
            }
            if (w.dataType() != dtype) throw new IllegalArgumentException(e.getKey() + " is " + w.dataType() + ", not " + dtype);
            sd.var(e.getKey(), w);
        }
        g.define();
        return g;
    }

    public SameDiff sameDiff() { return sd; }
    public LlamaConfig config() { return config; }
    public int batch() { return batch; }
    public int seq() { return seq; }

    /** The names of the trainable variables (every parameter). */
    public List<String> parameterNames() {
        return new ArrayList<>(parameterShapes(config).keySet());
    }

    private void define() {
        int hd = config.headDim();
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int group = heads / kvHeads;
        long tokens = (long) batch * seq;

        SDVariable ids = sd.placeHolder(INPUT_IDS, DataType.INT, batch, seq);
        SDVariable labels = sd.placeHolder(LABELS, DataType.INT, tokens);
        SDVariable cos = sd.constant("rope_cos", ropeTable(true));
        SDVariable sin = sd.constant("rope_sin", ropeTable(false));
        SDVariable rotate = sd.constant("rope_rotate_half", rotateHalf(hd));
        SDVariable mask = sd.constant("causal_mask", causalMask());

        // The embedding lookup as one-hot x table: M2.1 differentiates gather with a loop over every token
        // (measured: 80% of a training step), a matmul costs what the lm_head costs.
        SDVariable oneHot = sd.oneHot(sd.reshape(ids, tokens), config.vocabSize(), -1, 1.0, 0.0, dtype);
        SDVariable x = sd.mmul(oneHot, v("model.embed_tokens.weight"));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            SDVariable n = rmsNorm(x, v(p + "input_layernorm.weight"));
            SDVariable q = heads(linear(n, p + "self_attn.q_proj.weight"), heads);
            SDVariable k = heads(linear(n, p + "self_attn.k_proj.weight"), kvHeads);
            SDVariable val = heads(linear(n, p + "self_attn.v_proj.weight"), kvHeads);
            q = rope(q, heads, cos, sin, rotate);
            k = rope(k, kvHeads, cos, sin, rotate);
            SDVariable qg = sd.reshape(q, batch, kvHeads, (long) group * seq, hd);
            SDVariable scores = sd.mmul(qg, k, false, true, false).mul(1.0 / Math.sqrt(hd));
            SDVariable probs = sd.nn.softmax(sd.reshape(scores, batch, heads, seq, seq).add(mask), -1);
            SDVariable ctx = sd.mmul(sd.reshape(probs, batch, kvHeads, (long) group * seq, seq), val);
            ctx = sd.reshape(sd.permute(sd.reshape(ctx, batch, heads, seq, hd), 0, 2, 1, 3), tokens, (long) heads * hd);
            SDVariable h = x.add(linear(ctx, p + "self_attn.o_proj.weight"));
            SDVariable m = rmsNorm(h, v(p + "post_attention_layernorm.weight"));
            SDVariable gate = linear(m, p + "mlp.gate_proj.weight");
            SDVariable silu = gate.mul(sd.nn.sigmoid(gate));
            SDVariable up = linear(m, p + "mlp.up_proj.weight");
            x = h.add(linear(silu.mul(up), p + "mlp.down_proj.weight"));
        }
        SDVariable logits = sd.mmul(LOGITS, rmsNorm(x, v("model.norm.weight")), v("lm_head.weight"), false, true, false);
        // Cross-entropy written out: M2.1's sparseSoftmaxCrossEntropy returns the mean but back-propagates the
        // sum (gradients batch*seq times too large; the finite-difference test catches it).
        SDVariable target = sd.oneHot(labels, config.vocabSize(), -1, 1.0, 0.0, dtype);
        SDVariable logProbs = sd.nn.logSoftmax(logits);
        SDVariable loss = sd.mean(sd.sum(target.mul(logProbs), false, 1)).mul(LOSS, -1.0);
        sd.setLossVariables(loss);
    }

    private SDVariable v(String name) { return sd.getVariable(name); }

    /** x [tokens, in] times the HF weight [out, in] transposed. */
    private SDVariable linear(SDVariable x, String weight) {
        return sd.mmul(x, v(weight), false, true, false);
    }

    /** [tokens, heads*d] to [batch, heads, seq, d]. */
    private SDVariable heads(SDVariable x, int n) {
        return sd.permute(sd.reshape(x, batch, seq, n, config.headDim()), 0, 2, 1, 3);
    }

    /** HF LlamaRMSNorm: x / sqrt(mean(x^2) + eps) * weight, over the last axis. */
    private SDVariable rmsNorm(SDVariable x, SDVariable weight) {
        SDVariable ms = sd.mean(sd.math.square(x), true, -1);
        return x.mul(sd.math.rsqrt(ms.add(config.rmsNormEps()))).mul(weight);
    }

    /** HF apply_rotary_pos_emb: x * cos + rotate_half(x) * sin; rotate_half as a constant matrix product. */
    private SDVariable rope(SDVariable x, int n, SDVariable cos, SDVariable sin, SDVariable rotate) {
        SDVariable rotated = sd.reshape(sd.mmul(sd.reshape(x, -1, config.headDim()), rotate), batch, n, seq, config.headDim());
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** [1, 1, seq, d]: cos (or sin) of position * theta^(-2i/d), the frequency table repeated for both halves. */
    private INDArray ropeTable(boolean cos) {
        int hd = config.headDim();
        double[] values = new double[seq * hd];
        for (int t = 0; t < seq; t++) {
            for (int i = 0; i < hd / 2; i++) {
                double invFreq = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / hd);
                double angle = t * invFreq;
                double val = cos ? Math.cos(angle) : Math.sin(angle);
                values[t * hd + i] = val;
                values[t * hd + i + hd / 2] = val;
            }
        }
        return Nd4j.createFromArray(values).castTo(dtype).reshape(1, 1, seq, hd);
    }

    /** R with x R = rotate_half(x) = concat(-x[d/2:], x[:d/2]). */
    private INDArray rotateHalf(int hd) {
        double[][] r = new double[hd][hd];
        int half = hd / 2;
        for (int i = 0; i < half; i++) {
            r[i + half][i] = -1;
            r[i][i + half] = 1;
        }
        return Nd4j.createFromArray(r).castTo(dtype);
    }

    /** [1, 1, seq, seq]: 0 where a query may see the key (key <= query), a large negative number elsewhere. */
    private INDArray causalMask() {
        double[][] m = new double[seq][seq];
        for (int q = 0; q < seq; q++) {
            for (int k = q + 1; k < seq; k++) m[q][k] = -1e9;
        }
        return Nd4j.createFromArray(m).castTo(dtype).reshape(1, 1, seq, seq);
    }
}
