package org.nowag.bench;

import java.util.concurrent.TimeUnit;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** NoWag normalization of one 1024 x 4096 row block; baseline: copying the same floats. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NormalizationBench {
    private float[] w;
    private float[] copy;
    private double[] acc;
    private float[] colNorms;
    private float[] rowNorms;

    @Setup
    public void setUp() {
        w = BenchData.gaussian(BenchData.ROWS * BenchData.COLS, 1);
        copy = new float[w.length];
        acc = new double[BenchData.COLS];
        NoWagNormalizer.accumulateColumnSumSquares(w, BenchData.ROWS, BenchData.COLS, acc);
        colNorms = NoWagNormalizer.columnNorms(acc);
        rowNorms = NoWagNormalizer.rowNorms(w, BenchData.ROWS, BenchData.COLS, colNorms);
    }

    @Benchmark
    public float[] baseline() {
        System.arraycopy(w, 0, copy, 0, w.length);
        return copy;
    }

    @Benchmark
    public double[] columnSumSquares() {
        java.util.Arrays.fill(acc, 0);
        NoWagNormalizer.accumulateColumnSumSquares(w, BenchData.ROWS, BenchData.COLS, acc);
        return acc;
    }

    @Benchmark
    public float[] rowNorms() {
        return NoWagNormalizer.rowNorms(w, BenchData.ROWS, BenchData.COLS, colNorms);
    }

    @Benchmark
    public float[] normalize() {
        return NoWagNormalizer.normalize(w, BenchData.ROWS, BenchData.COLS, colNorms, rowNorms);
    }
}
