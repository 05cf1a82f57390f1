package org.nowag.kernels.model;

/** sentence-transformers' Pooling(mean) and Normalize modules, and the cosine similarity of two embeddings. */
public final class SentencePooling {
    private SentencePooling() {}

    /** Per sequence, the mean of its non-padding rows (double sums). */
    public static float[][] meanPool(HiddenStates h) {
        int d = h.width();
        float[] x = h.values();
        float[][] out = new float[h.sequences()][d];
        for (int s = 0; s < h.sequences(); s++) {
            double[] sum = new double[d];
            int count = 0;
            for (int r = h.start(s); r < h.start(s) + h.length(s); r++) {
                if (h.isPadding(r)) continue;
                count++;
                for (int j = 0; j < d; j++) sum[j] += x[r * d + j];
            }
            // sentence-transformers clamps the token count at 1e-9: an all-padding sequence pools to zeros.
            double denom = Math.max(count, 1e-9);
            for (int j = 0; j < d; j++) out[s][j] = (float) (sum[j] / denom);
        }
        return out;
    }

    /** Each vector divided by its L2 norm (at least 1e-12, as torch.nn.functional.normalize); in place, returned. */
    public static float[][] normalize(float[][] vectors) {
        for (float[] v : vectors) {
            double ss = 0;
            for (float f : v) ss += (double) f * f;
            double norm = Math.max(Math.sqrt(ss), 1e-12);
            for (int j = 0; j < v.length; j++) v[j] = (float) (v[j] / norm);
        }
        return vectors;
    }

    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a.length; j++) {
            dot += (double) a[j] * b[j];
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
        }
        return dot / Math.sqrt(na * nb);
    }
}
