package org.nowag.kernels.prune;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The pruning rules written the slow, obvious way: plain loops for the norms and scores (same float
 * operations in the same order as the spec), then for each group a full sort of boxed indices by
 * (score descending, index ascending) and the first k kept. Independent of the production classes.
 */
final class SlowReference {
    static final float EPS = 1e-5f;

    private SlowReference() {}

    static float[] colNorms(float[] w, int rows, int cols) {
        float[] c = new float[cols];
        for (int j = 0; j < cols; j++) {
            double ss = 0;
            for (int i = 0; i < rows; i++) {
                double x = w[i * cols + j];
                ss += x * x;
            }
            c[j] = (float) (Math.sqrt(ss) + EPS);
        }
        return c;
    }

    static float[] rowNorms(float[] w, int rows, int cols, float[] c) {
        float[] r = new float[rows];
        for (int i = 0; i < rows; i++) {
            double ss = 0;
            for (int j = 0; j < cols; j++) {
                float x = w[i * cols + j] / c[j];
                ss += (double) x * x;
            }
            r[i] = (float) (Math.sqrt(ss) + EPS);
        }
        return r;
    }

    static float wBar(float[] w, int cols, float[] c, float[] r, int i, int j) {
        return w[i * cols + j] / c[j] / r[i];
    }

    static float[] scores(PruneMethod method, float[] w, int rows, int cols, float[] c, float[] s) {
        float[] r = rowNorms(w, rows, cols, c);
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float sj = s == null ? 1f : s[j];
                float x = w[i * cols + j];
                float score;
                if (method == PruneMethod.MAGNITUDE) {
                    score = Math.abs(x);
                } else if (method == PruneMethod.WANDA) {
                    score = Math.abs(x) * (float) Math.sqrt(sj);
                } else {
                    float wb = wBar(w, cols, c, r, i, j);
                    score = wb * wb * sj;
                }
                out[i * cols + j] = score;
            }
        }
        return out;
    }

    /** Keep the first k of the group's indices sorted by (score desc, index asc). */
    static void keepTopK(float[] scores, List<Integer> group, int k, BitSet keep) {
        List<Integer> sorted = new ArrayList<>(group);
        sorted.sort((a, b) -> {
            float sa = scores[a];
            float sb = scores[b];
            if (sa > sb) {
                return -1;
            }
            if (sa < sb) {
                return 1;
            }
            return Integer.compare(a, b);
        });
        for (int t = 0; t < k; t++) {
            keep.set(sorted.get(t));
        }
    }

    static List<Integer> range(int from, int to) {
        List<Integer> g = new ArrayList<>();
        for (int i = from; i < to; i++) {
            g.add(i);
        }
        return g;
    }

    static BitSet mask(PruneMethod method, SparsityPattern pattern, float[] w, int rows, int cols,
                       float[] c, float[] s) {
        float[] sc = scores(method, w, rows, cols, c, s);
        BitSet keep = new BitSet(rows * cols);
        if (pattern.isNOfM()) {
            for (int g = 0; g < rows * cols; g += pattern.m()) {
                keepTopK(sc, range(g, g + pattern.m()), pattern.n(), keep);
            }
        } else if (pattern.group() == SparsityPattern.Group.ROW) {
            int k = (int) Math.round((1 - pattern.sparsity()) * cols);
            for (int i = 0; i < rows; i++) {
                keepTopK(sc, range(i * cols, (i + 1) * cols), k, keep);
            }
        } else {
            int k = (int) Math.round((1 - pattern.sparsity()) * rows * cols);
            keepTopK(sc, range(0, rows * cols), k, keep);
        }
        return keep;
    }

    /** sum over pruned of s_j * W_bar_ij^2, in double. */
    static double proxyLoss(float[] w, int rows, int cols, float[] c, float[] s, BitSet keep, boolean all) {
        float[] r = rowNorms(w, rows, cols, c);
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (all || !keep.get(i * cols + j)) {
                    double wb = wBar(w, cols, c, r, i, j);
                    sum += (s == null ? 1.0 : s[j]) * wb * wb;
                }
            }
        }
        return sum;
    }

    /** sum over pruned of s_j * W_ij^2, in double. */
    static double dataAwareLoss(float[] w, int rows, int cols, float[] s, BitSet keep) {
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (!keep.get(i * cols + j)) {
                    double x = w[i * cols + j];
                    sum += (s == null ? 1.0 : s[j]) * x * x;
                }
            }
        }
        return sum;
    }
}
