package org.nowag.kernels.vq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.simd.Simd;

/**
 * Runs every kernel that has a Vector API path on fixed inputs (odd sizes, so vector tails and scalar heads are
 * exercised; ties, so the threshold's equal keys are too) and prints one line per result: its name and a hash of
 * its exact bits. Run in-process and in child JVMs with and without the vector module: equal lines = same bits.
 * In vq's package for the package-private fused assignment scan; no ND4J.
 */
public final class SimdProbe {
    private SimdProbe() {}

    public static void main(String[] args) {
        System.out.println("mode " + (Simd.ENABLED ? "vector" : "scalar"));
        for (String line : lines()) {
            System.out.println(line);
        }
    }

    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        int rows = 37;
        int cols = 203; // not a multiple of any vector length, not of 64
        float[] w = values(rows * cols, 11, false);
        float[] tied = values(rows * cols, 12, true);
        float[] s = positive(cols, 13);
        for (String name : new String[] {"gaussian", "tied"}) {
            float[] m = name.equals("gaussian") ? w : tied;
            double[] acc = new double[cols];
            NoWagNormalizer.accumulateColumnSumSquares(m, rows, cols, acc);
            out.add(name + " columnSumSquares " + Arrays.hashCode(acc));
            float[] c = NoWagNormalizer.columnNorms(acc);
            float[] r = NoWagNormalizer.rowNorms(m, rows, cols, c);
            out.add(name + " rowNorms " + Arrays.hashCode(r));
            out.add(name + " normalize " + Arrays.hashCode(NoWagNormalizer.normalize(m, rows, cols, c, r)));
            for (PruneMethod method : PruneMethod.values()) {
                out.add(name + " importance " + method + " "
                        + Arrays.hashCode(Pruner.importance(method, m, rows, cols, c, r, s)));
                for (String pattern : new String[] {"unstructured:0.5:matrix", "unstructured:0.3:row", "1:7"}) {
                    PruneResult p = Pruner.prune(method, SparsityPattern.parse(pattern), m, rows, cols, c, s);
                    out.add(name + " prune " + method + " " + pattern + " " + Arrays.hashCode(p.pruned) + " "
                            + p.keep.hashCode() + " " + p.keptCount + " " + Double.doubleToLongBits(p.proxyLoss));
                }
            }
        }
        // d = 6 (the unrolled scan) with a K that is no multiple of the lanes, an odd row count and an odd last unit;
        // d = 2 with 7 levels per coordinate: 49 distinct centroids among 97, so exact ties decide many codes
        out.add("nearest " + nearest(37, 7, 6, 4099, 14, false) + " " + nearest(300, 4, 2, 97, 15, true) + " "
                + nearest(131, 3, 5, 1000, 16, false));
        return out;
    }

    private static String nearest(int rows, int groups, int d, int k, long seed, boolean tied) {
        float[] data = values(rows * groups * d, seed, tied);
        float[] codebook = values(k * d, seed + 1, tied);
        float[] weights = positive(groups * d, seed + 2);
        return Integer.toString(Arrays.hashCode(
                new NearestCentroids(codebook, k, d).propose(data, 0, rows * groups, weights, groups, 2)));
    }

    /** Gaussian floats, or (tied) a few repeated values so that equal scores are common. */
    static float[] values(int n, long seed, boolean tied) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = tied ? (rnd.nextInt(7) - 3) * 0.5f : (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }

    static float[] positive(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 3);
        }
        return v;
    }
}
