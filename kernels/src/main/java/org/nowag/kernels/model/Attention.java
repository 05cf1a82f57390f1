package org.nowag.kernels.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scaled dot-product attention over packed sequences: per sequence and head, softmax(Q_h K_g^T / sqrt(d) + mask) V_g.
 * Grouped-query attention: query head h reads key/value head g = h / (heads / kvHeads), as HF's repeat_kv
 * (kvHeads == heads is plain multi-head attention). Masked keys (future ones when causal, padding) get weight 0,
 * as HF's additive finfo.min mask gives.
 *
 * <p>Both products run as one batched ND4J GEMM over a chunk of heads ([heads, T, d] x [heads, d, T]); the softmax
 * runs in Java between them. Many tiny per-head ND4J calls cost far more than the arithmetic on small models, and a
 * chunk bounds the [heads, T, T] score buffer for long sequences.
 */
final class Attention {
    private Attention() {}

    /** Largest score buffer (floats) one chunk of heads may use: 64 MiB. */
    static final long MAX_SCORE_FLOATS = 16L << 20;

    static float[] attend(float[] q, float[] k, float[] v, HiddenStates layout,
                          int heads, int kvHeads, int headDim, boolean causal) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        float[] context = new float[layout.tokens() * qWidth];
        double scale = 1.0 / Math.sqrt(headDim);
        int group = heads / kvHeads;
        for (int s = 0; s < layout.sequences(); s++) {
            int start = layout.start(s);
            int len = layout.length(s);
            boolean[] maskedKey = new boolean[len];
            for (int t = 0; t < len; t++) maskedKey[t] = layout.isPadding(start + t);
            int chunk = (int) Math.max(1, Math.min(heads, MAX_SCORE_FLOATS / ((long) len * len)));
            for (int h0 = 0; h0 < heads; h0 += chunk) {
                int hn = Math.min(chunk, heads - h0);
                float[] qb = new float[hn * len * headDim];
                float[] kb = new float[hn * len * headDim];
                float[] vb = new float[hn * len * headDim];
                for (int i = 0; i < hn; i++) {
                    int h = h0 + i;
                    int g = h / group;
                    for (int t = 0; t < len; t++) {
                        int dst = (i * len + t) * headDim;
                        System.arraycopy(q, (start + t) * qWidth + h * headDim, qb, dst, headDim);
                        System.arraycopy(k, (start + t) * kvWidth + g * headDim, kb, dst, headDim);
                        System.arraycopy(v, (start + t) * kvWidth + g * headDim, vb, dst, headDim);
                    }
                }
                long[] shape = {hn, len, headDim};
                INDArray scores = Nd4j.matmul(Nd4j.create(qb, shape, DataType.FLOAT), Nd4j.create(kb, shape, DataType.FLOAT),
                        false, true, false);
                float[] p = Nd4jArrays.toFloats(scores, (long) hn * len * len);
                softmaxRows(p, hn * len, len, scale, causal, maskedKey);
                INDArray out = Nd4j.matmul(Nd4j.create(p, new long[] {hn, len, len}, DataType.FLOAT),
                        Nd4j.create(vb, shape, DataType.FLOAT));
                float[] o = Nd4jArrays.toFloats(out, (long) hn * len * headDim);
                for (int i = 0; i < hn; i++) {
                    for (int t = 0; t < len; t++) {
                        System.arraycopy(o, (i * len + t) * headDim, context, (start + t) * qWidth + (h0 + i) * headDim, headDim);
                    }
                }
            }
        }
        return context;
    }

    /**
     * In place over rows of length len (row r is query position r % len): softmax(scale * x) over the keys that are
     * neither padding nor (causal) after the query; masked keys get exactly 0. A row with every key masked
     * becomes uniform, as HF's finfo.min mask makes it.
     */
    static void softmaxRows(float[] x, int rows, int len, double scale, boolean causal, boolean[] maskedKey) {
        for (int r = 0; r < rows; r++) {
            int base = r * len;
            int last = causal ? r % len : len - 1;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) if (!maskedKey[j]) max = Math.max(max, x[base + j]);
            if (max == Double.NEGATIVE_INFINITY) {
                for (int j = 0; j < len; j++) x[base + j] = 1f / len;
                continue;
            }
            double sum = 0;
            for (int j = 0; j < len; j++) {
                if (j > last || maskedKey[j]) {
                    x[base + j] = 0f;
                } else {
                    // Below exp(-87) a float weight would be subnormal: flush it to 0, since subnormal operands
                    // slow the next GEMM down by orders of magnitude and are 0 after the sum anyway.
                    double z = (x[base + j] - max) * scale;
                    float e = z < -87.0 ? 0f : (float) Math.exp(z);
                    x[base + j] = e;
                    sum += e;
                }
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j <= last; j++) x[base + j] *= inv;
        }
    }
}
