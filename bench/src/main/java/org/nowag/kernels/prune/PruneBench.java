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

/**
 * Top-k selection and the whole prune of a 1024 x 4096 block, per method and pattern.
 * Lives in the kernel's package to reach the package-private selection step. Baseline: copying the same floats.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PruneBench {
    @Param({"NOWAG_P", "WANDA", "MAGNITUDE"})
    public String method;

    @Param({"unstructured:0.5:matrix", "unstructured:0.5:row", "2:4"})
    public String pattern;

    private PruneMethod pruneMethod;
    private SparsityPattern sparsity;
    private float[] w;
    private float[] s;
    private float[] colNorms;
    private float[] rowNorms;
    private float[] scores;
    private float[] copy;

    @Setup
    public void setUp() {
        pruneMethod = PruneMethod.valueOf(method);
        sparsity = SparsityPattern.parse(pattern);
        w = BenchData.gaussian(BenchData.ROWS * BenchData.COLS, 1);
        s = BenchData.positive(BenchData.COLS, 2);
        double[] acc = new double[BenchData.COLS];
        NoWagNormalizer.accumulateColumnSumSquares(w, BenchData.ROWS, BenchData.COLS, acc);
        colNorms = NoWagNormalizer.columnNorms(acc);
        rowNorms = NoWagNormalizer.rowNorms(w, BenchData.ROWS, BenchData.COLS, colNorms);
        scores = Pruner.importance(pruneMethod, w, BenchData.ROWS, BenchData.COLS, colNorms, rowNorms, s);
        copy = new float[w.length];
    }

    @Benchmark
    public float[] baseline() {
        System.arraycopy(w, 0, copy, 0, w.length);
        return copy;
    }

    /** The keep mask from precomputed scores: radix select (unstructured) or pairwise rank (N:M). */
    @Benchmark
    public long[] select() {
        return Pruner.select(sparsity, scores, BenchData.ROWS, BenchData.COLS);
    }

    /** Row norms, scores, selection and assembly with the three losses: one executor prune of this block. */
    @Benchmark
    public PruneResult prune() {
        return Pruner.prune(pruneMethod, sparsity, w, BenchData.ROWS, BenchData.COLS, colNorms, s);
    }
}
