package org.nowag.kernels;

import java.util.Random;

/** Seeded test inputs: Gaussian weights, or values from a tiny set so importances tie on purpose. */
public final class TestMatrices {
    private TestMatrices() {}

    public static float[] gaussian(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) rnd.nextGaussian();
        }
        return w;
    }

    /** Values from {-1, -0.5, 0, 0.5, 1}: many equal |w| (and equal scores) in every row and column. */
    public static float[] tied(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int k = 0; k < w.length; k++) {
            w[k] = (rnd.nextInt(5) - 2) * 0.5f;
        }
        return w;
    }

    /** A positive activation diagonal with spread (s_j = sum x_j^2 of a few random tokens). */
    public static float[] activations(int cols, long seed) {
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        float[] s = new float[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int t = 0; t < 16; t++) {
                double x = rnd.nextGaussian() * (1 + (j % 3));
                sum += x * x;
            }
            s[j] = (float) sum;
        }
        return s;
    }

    /** An activation diagonal from {0, 1, 4}: zero columns and repeated factors make ties across columns. */
    public static float[] tiedActivations(int cols, long seed) {
        Random rnd = new Random(seed ^ 0x2545F491L);
        float[] s = new float[cols];
        for (int j = 0; j < cols; j++) {
            int v = rnd.nextInt(3);
            s[j] = v == 0 ? 0f : v == 1 ? 1f : 4f;
        }
        return s;
    }
}
