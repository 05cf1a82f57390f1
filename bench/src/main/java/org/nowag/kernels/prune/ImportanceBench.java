package org.nowag.kernels.prune;

import java.util.concurrent.TimeUnit;
import org.nowag.bench.BenchData;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Importance scores of a 1024 x 4096 block per method; baseline: copying the same floats. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImportanceBench {
    @Param({"NOWAG_P", "WANDA", "MAGNITUDE"})
    public String method;

    private PruneMethod pruneMethod;
    private float[] w;
    private float[] s;
    private float[] colNorms;
    private float[] rowNorms;
    private float[] copy;

    @Setup
    public void setUp() {
        pruneMethod = PruneMethod.valueOf(method);
        w = BenchData.gaussian(BenchData.ROWS * BenchData.COLS, 1);
        s = BenchData.positive(BenchData.COLS, 2);
        double[] acc = new double[BenchData.COLS];
        NoWagNormalizer.accumulateColumnSumSquares(w, BenchData.ROWS, BenchData.COLS, acc);
        colNorms = NoWagNormalizer.columnNorms(acc);
        rowNorms = NoWagNormalizer.rowNorms(w, BenchData.ROWS, BenchData.COLS, colNorms);
        copy = new float[w.length];
    }

    @Benchmark
    public float[] baseline() {
        System.arraycopy(w, 0, copy, 0, w.length);
        return copy;
    }

    @Benchmark
    public float[] importance() {
        return Pruner.importance(pruneMethod, w, BenchData.ROWS, BenchData.COLS, colNorms, rowNorms, s);
    }
}
