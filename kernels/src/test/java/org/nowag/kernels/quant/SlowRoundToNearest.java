package org.nowag.kernels.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * Round-to-nearest the slow, obvious way, importing no production code: the stored step is found in a sorted list of
 * every positive finite binary16 value decoded from its bits, and each weight's code by trying every code of the
 * group's grid (ties to the even distance from the zero point, as half-to-even rounding of x / step does).
 */
final class SlowRoundToNearest {
    final int[][] codes;     // [rows][cols]
    final float[][] scales;  // [rows][groups]
    final int[][] zeros;     // [rows][groups]
    final double[][] wHat;   // [rows][cols]

    private static final double[] HALVES = positiveHalves();

    private SlowRoundToNearest(int rows, int cols, int groups) {
        codes = new int[rows][cols];
        scales = new float[rows][groups];
        zeros = new int[rows][groups];
        wHat = new double[rows][cols];
    }

    static SlowRoundToNearest quantize(float[] w, int rows, int cols, int bits, int groupSize) {
        int groups = (cols + groupSize - 1) / groupSize;
        int maxCode = (1 << bits) - 1;
        SlowRoundToNearest out = new SlowRoundToNearest(rows, cols, groups);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < groups; k++) {
                List<Double> x = new ArrayList<>();
                for (int c = k * groupSize; c < Math.min(cols, (k + 1) * groupSize); c++) x.add((double) w[r * cols + c]);
                double lo = 0;
                double hi = 0;
                for (double v : x) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                double step = hi > lo ? smallestHalfAtLeast((hi - lo) / maxCode) : 1.0;
                int zero = (int) Math.rint(-lo / step);
                out.scales[r][k] = (float) step;
                out.zeros[r][k] = zero;
                for (int c = k * groupSize; c < Math.min(cols, (k + 1) * groupSize); c++) {
                    double v = w[r * cols + c];
                    int best = -1;
                    double bestDistance = Double.POSITIVE_INFINITY;
                    for (int q = 0; q <= maxCode; q++) {
                        double d = Math.abs(v - step * (q - zero));
                        boolean tieToEven = d == bestDistance && (q - zero) % 2 == 0;
                        if (d < bestDistance || tieToEven) {
                            best = q;
                            bestDistance = d;
                        }
                    }
                    out.codes[r][c] = best;
                    out.wHat[r][c] = step * (best - zero);
                }
            }
        }
        return out;
    }

    static double smallestHalfAtLeast(double x) {
        for (double h : HALVES) {
            if (h >= x) return h;
        }
        throw new IllegalArgumentException(x + " is above every binary16 value");
    }

    /** Every positive finite binary16: subnormals m * 2^-24, normals (1 + m / 1024) * 2^(e - 15), in order. */
    private static double[] positiveHalves() {
        List<Double> v = new ArrayList<>();
        for (int m = 1; m < 1024; m++) v.add(m * Math.pow(2, -24));
        for (int e = 1; e <= 30; e++) {
            for (int m = 0; m < 1024; m++) v.add((1 + m / 1024.0) * Math.pow(2, e - 15));
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = v.get(i);
        return out;
    }
}
