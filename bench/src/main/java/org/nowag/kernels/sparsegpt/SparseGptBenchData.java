package org.nowag.kernels.sparsegpt;

import java.util.SplittableRandom;

/** Seeded X^T X for the SparseGPT benchmarks: X of 2d standard normal samples, so H is well conditioned. */
final class SparseGptBenchData {
    private SparseGptBenchData() {}

    static double[] gram(int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 2 * d;
        double[] x = new double[n * d];
        for (int k = 0; k < x.length; k++) {
            x[k] = Math.sqrt(-2 * Math.log(1.0 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        double[] xt = new double[x.length];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) xt[j * n + t] = x[t * d + j];
        }
        try (OffHeapMatrix xm = OffHeapMatrix.zeros(n, d); OffHeapMatrix xtm = OffHeapMatrix.zeros(d, n)) {
            xm.put(0, 0, x, 0, x.length);
            xtm.put(0, 0, xt, 0, xt.length);
            try (OffHeapMatrix g = OffHeapMatrix.productTransposed(xtm, xm)) {  // (X^T X)^T = X^T X
                double[] out = new double[d * d];
                g.get(0, 0, out, 0, d * d);
                return out;
            }
        }
    }
}
