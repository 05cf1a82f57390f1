package org.nowag.bench;

import java.util.SplittableRandom;

/** Seeded inputs shared by the benchmarks: the same numbers every run, so runs compare. */
public final class BenchData {
    /** A 1024 x 4096 block: 16 MiB of float32, larger than any cache here, as a real row block is. */
    public static final int ROWS = 1024;
    public static final int COLS = 4096;

    private BenchData() {}

    /** Standard normal floats (Box-Muller), as trained weights roughly are. */
    public static float[] gaussian(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1.0 - rnd.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rnd.nextDouble()));
        }
        return v;
    }

    /** Positive activation statistics spread over two decades, like a diag(XᵀX). */
    public static float[] positive(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.pow(10, 2 * rnd.nextDouble());
        }
        return v;
    }
}
