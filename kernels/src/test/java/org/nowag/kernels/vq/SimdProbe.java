package org.nowag.kernels.vq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * In vq's package for the package-private argmin; no ND4J (the argmin reads a heap ByteBuffer).
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
        out.add("argmin " + argmin(173, 97, 14) + " " + argmin(4096, 64, 15));
        return out;
    }

    private static String argmin(int rows, int k, long seed) {
        float[] block = values(rows * k, seed, true);
        ByteBuffer bytes = ByteBuffer.allocateDirect(4 * block.length).order(ByteOrder.nativeOrder());
        bytes.asFloatBuffer().put(block);
        int[] index = new int[rows];
        float[] value = new float[rows];
        WeightedKMeans.argminPerRow(bytes, rows, k, index, value);
        return Arrays.hashCode(index) + "/" + Arrays.hashCode(value);
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
