package org.nowag.kernels.sparsegpt;

import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * Not a test (no @Test; nothing asserts on time): times SparseGPT and the output loss on one Gaussian matrix
 * [rows, d] with X^T X of 2d Gaussian samples. Run with the kernels' test classpath, e.g.
 * {@code java -cp kernels/target/classes:kernels/target/test-classes:$(cat cp.txt)
 * org.nowag.kernels.sparsegpt.SparseGptTiming 4096 4096} (cp.txt from mvn dependency:build-classpath -pl kernels).
 * A third argument {@code slow} also times the unblocked reference factor ({@link SlowInverseHessianFactor}).
 */
public final class SparseGptTiming {
    private SparseGptTiming() {}

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2L * d, d);
        double[] g = x.transpose().mmul(x).dup('c').data().asDouble();
        float[] w = new float[rows * d];
        Random r = new Random(2);
        for (int k = 0; k < w.length; k++) w[k] = (float) r.nextGaussian();
        long f0 = System.nanoTime();
        InverseHessianFactor.factorInPlace(g.clone(), d, 0.01, new boolean[d]);
        System.out.printf(Locale.ROOT, "d=%d factor (blocked, in place): %.1f s%n", d, (System.nanoTime() - f0) / 1e9);
        if (args.length > 2 && args[2].equals("slow")) {
            long s0 = System.nanoTime();
            SlowInverseHessianFactor.of(g, d, 0.01, new boolean[d]);
            System.out.printf(Locale.ROOT, "d=%d factor (unblocked reference): %.1f s%n", d,
                    (System.nanoTime() - s0) / 1e9);
        }
        for (String p : new String[] {"unstructured:0.5:matrix", "2:4"}) {
            long t0 = System.nanoTime();
            SparseGptResult res = SparseGpt.prune(w, rows, d, g, SparsityPattern.parse(p), 128, 0.01);
            long t1 = System.nanoTime();
            OutputLoss.of(w, res.pruned, rows, d, g);
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "%dx%d %s: sparsegpt %.1f s, output loss %.1f s%n", rows, d, p,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }
}
