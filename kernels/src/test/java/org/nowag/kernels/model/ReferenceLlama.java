package org.nowag.kernels.model;

import java.util.Map;

/**
 * A slow, obviously correct Llama: one token at a time with a key/value cache, plain loops, double precision.
 * Written from the HF modeling_llama equations, independently of the kernels (which pack sequences, run GEMMs and
 * mask a whole square of scores instead of growing the cache).
 */
final class ReferenceLlama {
    private final Map<String, Tensor> w;
    private final LlamaConfig c;

    ReferenceLlama(Map<String, Tensor> weights, LlamaConfig config) {
        this.w = weights;
        this.c = config;
    }

    /** logits[t][v] for each position t of one sequence. */
    double[][] logits(int[] ids) {
        int d = c.hiddenSize();
        int heads = c.numAttentionHeads();
        int kvHeads = c.numKeyValueHeads();
        int hd = c.headDim();
        int layers = c.numHiddenLayers();
        double[][][] kCache = new double[layers][ids.length][];
        double[][][] vCache = new double[layers][ids.length][];
        double[][] out = new double[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            double[] x = row("model.embed_tokens.weight", ids[t]);
            for (int l = 0; l < layers; l++) {
                String p = "model.layers." + l + ".";
                double[] xn = rmsNorm(x, vec(p + "input_layernorm.weight"));
                double[] q = linear(p + "self_attn.q_proj", xn);
                double[] k = linear(p + "self_attn.k_proj", xn);
                double[] v = linear(p + "self_attn.v_proj", xn);
                rope(q, t, heads, hd);
                rope(k, t, kvHeads, hd);
                kCache[l][t] = k;
                vCache[l][t] = v;
                double[] att = new double[heads * hd];
                for (int h = 0; h < heads; h++) {
                    int g = h / (heads / kvHeads);
                    double[] score = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int j = 0; j < hd; j++) dot += q[h * hd + j] * kCache[l][s][g * hd + j];
                        score[s] = dot / Math.sqrt(hd);
                        max = Math.max(max, score[s]);
                    }
                    double z = 0;
                    for (int s = 0; s <= t; s++) {
                        score[s] = Math.exp(score[s] - max);
                        z += score[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int j = 0; j < hd; j++) att[h * hd + j] += score[s] / z * vCache[l][s][g * hd + j];
                    }
                }
                double[] o = linear(p + "self_attn.o_proj", att);
                for (int j = 0; j < d; j++) x[j] += o[j];
                double[] m = rmsNorm(x, vec(p + "post_attention_layernorm.weight"));
                double[] gate = linear(p + "mlp.gate_proj", m);
                double[] up = linear(p + "mlp.up_proj", m);
                double[] a = new double[gate.length];
                for (int j = 0; j < a.length; j++) a[j] = gate[j] / (1 + Math.exp(-gate[j])) * up[j];
                double[] down = linear(p + "mlp.down_proj", a);
                for (int j = 0; j < d; j++) x[j] += down[j];
            }
            double[] xf = rmsNorm(x, vec("model.norm.weight"));
            boolean tied = c.tieWordEmbeddings() || !w.containsKey("lm_head.weight");
            out[t] = matvec(tied ? "model.embed_tokens.weight" : "lm_head.weight", xf);
        }
        return out;
    }

    /** HF rotate_half: dimension j pairs with j + hd/2, angle = pos * theta^(-2j/hd). */
    private void rope(double[] x, int pos, int heads, int hd) {
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < hd / 2; j++) {
                double angle = pos * Math.pow(c.ropeTheta(), -2.0 * j / hd);
                double a = x[h * hd + j];
                double b = x[h * hd + j + hd / 2];
                x[h * hd + j] = a * Math.cos(angle) - b * Math.sin(angle);
                x[h * hd + j + hd / 2] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
    }

    private double[] rmsNorm(double[] x, double[] weight) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double inv = 1 / Math.sqrt(ss / x.length + c.rmsNormEps());
        double[] y = new double[x.length];
        for (int j = 0; j < x.length; j++) y[j] = weight[j] * x[j] * inv;
        return y;
    }

    private double[] linear(String prefix, double[] x) {
        double[] y = matvec(prefix + ".weight", x);
        Tensor b = w.get(prefix + ".bias");
        if (b != null) for (int i = 0; i < y.length; i++) y[i] += b.values()[i];
        return y;
    }

    /** W x for W [out, in]. */
    private double[] matvec(String name, double[] x) {
        Tensor t = w.get(name);
        int out = t.dim(0);
        int in = t.dim(1);
        double[] y = new double[out];
        for (int i = 0; i < out; i++) {
            double s = 0;
            for (int j = 0; j < in; j++) s += t.values()[i * in + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    private double[] row(String name, int r) {
        Tensor t = w.get(name);
        int width = t.dim(1);
        double[] v = new double[width];
        for (int j = 0; j < width; j++) v[j] = t.values()[r * width + j];
        return v;
    }

    private double[] vec(String name) {
        float[] f = w.get(name).values();
        double[] v = new double[f.length];
        for (int j = 0; j < f.length; j++) v[j] = f[j];
        return v;
    }
}
