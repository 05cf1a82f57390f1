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
        try (OffHeapMatrix xm = OffHeapMatrix.zeros(d, n)) {  // X^T, so that X^T X = X^T (X^T)^T
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < d; j++) {
                    xm.put(j, t, x, t * d + j, 1);
                }
            }
            try (OffHeapMatrix g = OffHeapMatrix.product(xm, xm, true)) {
                double[] out = new double[d * d];
                g.get(0, 0, out, 0, d * d);
                return out;
            }
        }
    }
}
