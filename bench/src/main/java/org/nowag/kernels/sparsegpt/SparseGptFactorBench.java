package org.nowag.kernels.sparsegpt;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SparseGPT's factor U (U^T U = (X^T X + lambda I)^-1) of a d x d X^T X, blocked and in place (with the copy of
 * X^T X it works in). Lives in the kernel's package to reach the package-private off-heap helper. Baseline: one ND4J
 * double GEMM of two d x d matrices (d^3 multiply-adds; the factor needs about d^3/3, nearly all in its chunked
 * GEMMs), so "x baseline" reads as "this many square GEMMs of the same size". The unblocked loops it replaced are
 * timed by {@code SparseGptTiming ... slow} in the kernels' test sources.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SparseGptFactorBench {
    @Param({"1024", "2048"})
    public int d;

    private double[] gram;
    private double[] work;
    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void setUp() {
        gram = SparseGptBenchData.gram(d, 7);
        work = new double[d * d];
        a = Nd4j.create(gram, new long[] {d, d}, DataType.DOUBLE);
        b = Nd4j.create(gram, new long[] {d, d}, DataType.DOUBLE);
        c = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'f');
    }

    @Benchmark
    public INDArray baseline() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    @Benchmark
    public double[] factor() {
        System.arraycopy(gram, 0, work, 0, work.length);
        InverseHessianFactor.factorInPlace(work, d, SparseGpt.DEFAULT_PERC_DAMP, new boolean[d]);
        return work;
    }
}
