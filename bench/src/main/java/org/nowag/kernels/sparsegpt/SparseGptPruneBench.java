package org.nowag.kernels.sparsegpt;

import java.util.concurrent.TimeUnit;
import org.nowag.bench.BenchData;
import org.nowag.kernels.prune.SparsityPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One whole SparseGPT prune of a 1024 x 1024 matrix (factor, column sweep with block masks, lazy updates), as the
 * executor task runs it (in place in a copy of X^T X), and the output loss ||(W - W_hat) X^T||^2 from what the prune
 * leaves of X^T X. Baseline: a copy of the weights (1024 x 1024 floats).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SparseGptPruneBench {
    static final int D = 1024;

    @Param({"unstructured:0.5:matrix", "2:4"})
    public String pattern;

    private float[] w;
    private float[] copy;
    private double[] gram;
    private double[] diag;
    private double[] work;
    private double[] factored;
    private float[] pruned;
    private SparsityPattern p;

    @Setup
    public void setUp() {
        w = BenchData.gaussian(D * D, 1);
        copy = new float[w.length];
        gram = SparseGptBenchData.gram(D, 2);
        diag = OutputLoss.diagonal(gram, D);
        work = new double[gram.length];
        p = SparsityPattern.parse(pattern);
        factored = gram.clone();
        pruned = SparseGpt.pruneInPlace(w, D, D, factored, p, SparseGpt.DEFAULT_BLOCK_SIZE,
                SparseGpt.DEFAULT_PERC_DAMP).pruned;
    }

    @Benchmark
    public float[] baseline() {
        System.arraycopy(w, 0, copy, 0, w.length);
        return copy;
    }

    @Benchmark
    public SparseGptResult prune() {
        System.arraycopy(gram, 0, work, 0, work.length);
        return SparseGpt.pruneInPlace(w, D, D, work, p, SparseGpt.DEFAULT_BLOCK_SIZE, SparseGpt.DEFAULT_PERC_DAMP);
    }

    @Benchmark
    public double outputLoss() {
        return OutputLoss.ofLowerTriangle(w, pruned, D, D, factored, diag);
    }
}
