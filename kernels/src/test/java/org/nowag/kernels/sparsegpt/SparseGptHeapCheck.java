package org.nowag.kernels.sparsegpt;

import java.util.Locale;
import java.util.Random;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * Not a test (no @Test): the kernel side of one SparseGPT executor task, holding what {@code PruneTask} holds (W as
 * float, X^T X as one double[d^2] factored in place, the result, the losses, then the encoded output of b bytes per
 * weight and the output loss), to run under a small -Xmx and check the heap formula 16n + n/8 + 8d^2 + 1 KiB (d_out + d) +
 * 32 MiB (MemoryEstimate.sparseGptTaskBytes). X^T X is built from a few hundred random rank-one rows in place (no
 * second d^2 array). Run e.g. {@code java -Xmx440m -XX:+ExitOnOutOfMemoryError -cp ... SparseGptHeapCheck 4096 4096};
 * it prints the formula and the heap in use after each step.
 */
public final class SparseGptHeapCheck {
    private SparseGptHeapCheck() {}

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        long n = (long) rows * d;
        long formula = 16 * n + n / 8 + 8L * d * d + 1024L * (rows + d) + (32L << 20);
        System.out.printf(Locale.ROOT, "%dx%d: formula %.1f MiB, -Xmx %.1f MiB%n", rows, d, formula / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        Random rnd = new Random(1);
        float[] w = new float[(int) n];
        for (int k = 0; k < w.length; k++) w[k] = (float) rnd.nextGaussian();
        double[] xtx = new double[d * d];
        double[] x = new double[d];
        for (int t = 0; t < 64; t++) {  // 64 rank-one samples, plus the identity: positive definite
            for (int j = 0; j < d; j++) x[j] = rnd.nextGaussian();
            for (int i = 0; i < d; i++) {
                double xi = x[i];
                int row = i * d;
                for (int j = 0; j < d; j++) xtx[row + j] += xi * x[j];
            }
        }
        for (int j = 0; j < d; j++) xtx[j * d + j] += 1;
        report("W and X^T X");
        double[] diag = OutputLoss.diagonal(xtx, d);
        SparseGptResult r = SparseGpt.pruneInPlace(w, rows, d, xtx, SparsityPattern.nOfM(2, 4),
                SparseGpt.DEFAULT_BLOCK_SIZE, SparseGpt.DEFAULT_PERC_DAMP);
        report("pruned");
        float[] colNorms = new float[d];
        java.util.Arrays.fill(colNorms, 1f);
        r.withLosses(w, rows, d, colNorms, null);
        byte[] encoded = new byte[(int) (2 * n)];  // BF16 output
        for (int k = 0; k < w.length; k++) encoded[2 * k] = (byte) Float.floatToRawIntBits(r.pruned[k]);
        double loss = OutputLoss.ofLowerTriangle(w, r.pruned, rows, d, xtx, diag);
        report("output loss " + loss + ", " + encoded.length + " bytes encoded");
        System.out.println("completed");
    }

    private static void report(String step) {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "  %s: heap in use %.1f MiB%n", step, (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    }
}
