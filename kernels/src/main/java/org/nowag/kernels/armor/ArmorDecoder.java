package org.nowag.kernels.armor;

import org.nowag.kernels.norm.NoWagNormalizer;

/**
 * Rebuilds W_hat = diag(r) A S B diag(c) from ARMOR's stored parts, in plain Java with a fixed summation order
 * (double accumulation, one rounding to float per element), so the compressor and `decompress` produce the same
 * bits. S is given as its kept values (two per group of four inputs, row-major) and each value's position 0..3
 * within its group.
 */
public final class ArmorDecoder {
    private ArmorDecoder() {}

    /** Q = A S B in normalized space, [rows, cols] row-major. */
    public static float[] normalized(int rows, int cols, int b, float[] aBlocks, float[] bBlocks, float[] values,
                                     int[] positions) {
        check(rows, cols, b, aBlocks, bBlocks, values, positions);
        // One output block (b rows) at a time: A is block diagonal, so its rows of Q need only its own b rows of
        // T = S B. Each element sees the same operations in the same order as with the whole of T at once, and the
        // decoder holds b * cols doubles of T instead of rows * cols.
        float[] q = new float[rows * cols];
        double[] t = new double[b * cols];
        double[] acc = new double[cols];
        for (int k = 0; k < rows / b; k++) {
            java.util.Arrays.fill(t, 0);
            // T = S B: each kept value adds value * (its row of B's block) into its output row.
            for (int p = 0; p < b; p++) {
                int i = k * b + p;
                for (int v = 0; v < cols / 2; v++) {
                    int idx = i * (cols / 2) + v;
                    float x = values[idx];
                    if (x == 0f) continue;
                    int col = (v / 2) * 4 + positions[idx];
                    int m = col / b;
                    int off = m * b * b + (col - m * b) * b;
                    int out = p * cols + m * b;
                    for (int j = 0; j < b; j++) t[out + j] += (double) x * bBlocks[off + j];
                }
            }
            for (int p = 0; p < b; p++) {
                int i = k * b + p;
                java.util.Arrays.fill(acc, 0);
                for (int x = 0; x < b; x++) {
                    double apx = aBlocks[k * b * b + p * b + x];
                    if (apx == 0) continue;
                    int off = x * cols;
                    for (int j = 0; j < cols; j++) acc[j] += apx * t[off + j];
                }
                for (int j = 0; j < cols; j++) q[i * cols + j] = (float) acc[j];
            }
        }
        return q;
    }

    /** W_hat = diag(r) (A S B) diag(c), the dense weight any tool can load. */
    public static float[] decode(int rows, int cols, int b, float[] aBlocks, float[] bBlocks, float[] values,
                                 int[] positions, float[] rowNorms, float[] colNorms) {
        return NoWagNormalizer.denormalize(normalized(rows, cols, b, aBlocks, bBlocks, values, positions),
                rows, cols, rowNorms, colNorms);
    }

    private static void check(int rows, int cols, int b, float[] aBlocks, float[] bBlocks, float[] values,
                              int[] positions) {
        if (b < 4 || b % 4 != 0 || rows % b != 0 || cols % b != 0) {
            throw new IllegalArgumentException("ARMOR block size " + b + " does not tile [" + rows + ", " + cols + "]");
        }
        if ((long) aBlocks.length != (long) rows * b || (long) bBlocks.length != (long) cols * b) {
            throw new IllegalArgumentException("ARMOR blocks hold " + aBlocks.length + " / " + bBlocks.length
                    + " values; [" + rows + ", " + cols + "] with b=" + b + " needs " + (long) rows * b + " / " + (long) cols * b);
        }
        long kept = (long) rows * cols / 2;
        if (values.length != kept || positions.length != kept) {
            throw new IllegalArgumentException("ARMOR 2:4 core holds " + values.length + " values and " + positions.length
                    + " positions; [" + rows + ", " + cols + "] needs " + kept + " of each");
        }
        for (int v = 0; v < positions.length; v += 2) {
            int p = positions[v];
            int q = positions[v + 1];
            if (p < 0 || q > 3 || p >= q) {
                throw new IllegalArgumentException("ARMOR 2:4 group " + v / 2 + " has positions (" + p + ", " + q
                        + "); want 0 <= first < second <= 3");
            }
        }
    }
}
