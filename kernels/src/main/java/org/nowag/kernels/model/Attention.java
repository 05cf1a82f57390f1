package org.nowag.kernels.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Scaled dot-product attention over packed sequences, per sequence and head:
 * softmax(Q_h K_g^T / sqrt(d) + mask) V_g. Grouped-query attention: query head h reads key/value head
 * g = h / (heads / kvHeads), as HF's repeat_kv (kvHeads == heads is plain multi-head attention).
 * The mask adds the most negative float (HF's finfo.min) to keys in the future (causal) or that are padding.
 * Both products are ND4J GEMMs; nothing is done per element in Java here.
 */
final class Attention {
    private Attention() {}

    static float[] attend(float[] q, float[] k, float[] v, HiddenStates layout,
                          int heads, int kvHeads, int headDim, boolean causal) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int n = layout.tokens();
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        INDArray qs = Nd4j.create(q, new long[] {n, qWidth}, DataType.FLOAT);
        INDArray ks = Nd4j.create(k, new long[] {n, kvWidth}, DataType.FLOAT);
        INDArray vs = Nd4j.create(v, new long[] {n, kvWidth}, DataType.FLOAT);
        float[] context = new float[n * qWidth];
        double scale = 1.0 / Math.sqrt(headDim);
        int group = heads / kvHeads;
        for (int s = 0; s < layout.sequences(); s++) {
            int start = layout.start(s);
            int len = layout.length(s);
            INDArray mask = mask(layout, start, len, causal);
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                INDArray qh = block(qs, start, len, h * headDim, headDim);
                INDArray kh = block(ks, start, len, g * headDim, headDim);
                INDArray vh = block(vs, start, len, g * headDim, headDim);
                INDArray scores = Nd4j.gemm(qh, kh, false, true).muli(scale);
                if (mask != null) scores.addi(mask);
                Transforms.softmax(scores, false);
                float[] out = Nd4jArrays.toFloats(scores.mmul(vh), (long) len * headDim);
                for (int t = 0; t < len; t++) {
                    System.arraycopy(out, t * headDim, context, (start + t) * qWidth + h * headDim, headDim);
                }
            }
        }
        return context;
    }

    /** Rows [start, start+len) and columns [col, col+width) as a contiguous copy (GEMM wants unit strides). */
    private static INDArray block(INDArray a, int start, int len, int col, int width) {
        return a.get(NDArrayIndex.interval(start, start + len), NDArrayIndex.interval(col, col + width)).dup('c');
    }

    /** [len x len] additive mask, or null when nothing is masked. */
    private static INDArray mask(HiddenStates layout, int start, int len, boolean causal) {
        boolean padded = false;
        for (int t = 0; t < len; t++) padded |= layout.isPadding(start + t);
        if (!causal && !padded) return null;
        float[] m = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < len; j++) {
                if ((causal && j > i) || layout.isPadding(start + j)) m[i * len + j] = -Float.MAX_VALUE;
            }
        }
        return Nd4j.create(m, new long[] {len, len}, DataType.FLOAT);
    }
}
