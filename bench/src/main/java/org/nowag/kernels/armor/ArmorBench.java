package org.nowag.kernels.armor;

import java.util.concurrent.TimeUnit;
import org.nowag.bench.BenchData;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ARMOR on a 1024 x 1024 Gaussian matrix with activation weights 10^U(0, 2), b = 32, from the NoWag-P 2:4 start:
 * each step alone, the loss, and one whole outer iteration (A, B and S steps, each followed by the loss and undone
 * if it rose, as in {@link Armor#compress}). The state carries over from call to call (a step costs the same
 * whatever the values). Lives in the kernel's package to reach the package-private steps. Baseline: one block
 * product A X of the same matrix (one batched ND4J matmul, [32, 32, 32] x [32, 32, 1024], plus the copies in and
 * out), so "x baseline" reads as "this many block products"; an outer iteration runs about 18 such products plus the S
 * sweep.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ArmorBench {
    static final int N = 1024;
    static final int B = 32;

    private ArmorState state;
    private ArmorState twoThreads;
    private double[] x;
    private double loss;

    @Setup
    public void setUp() {
        float[] w = BenchData.gaussian(N * N, 11);
        float[] s = BenchData.positive(N, 12);
        state = start(w, s, 1);
        twoThreads = start(w, s, 2);
        loss = state.loss();
        x = state.denseCore();
    }

    private static ArmorState start(float[] w, float[] s, int threads) {
        double[] colSs = new double[N];
        NoWagNormalizer.accumulateColumnSumSquares(w, N, N, colSs);
        float[] c = NoWagNormalizer.columnNorms(colSs);
        float[] r = NoWagNormalizer.rowNorms(w, N, N, c);
        float[] wBar = NoWagNormalizer.normalize(w, N, N, c, r);
        PruneResult p = Pruner.prune(PruneMethod.NOWAG_P, SparsityPattern.nOfM(2, 4), w, N, N, c, s);
        double[] sd = new double[N];
        for (int j = 0; j < N; j++) sd[j] = s[j];
        ArmorState st = Armor.initialState(wBar, N, N, sd, B, p);
        st.threads = threads;
        return st;
    }

    @Benchmark
    public double[] baseline() {
        return BlockProducts.left(state.a, B, x, N, N);
    }

    @Benchmark
    public double loss() {
        return state.loss();
    }

    @Benchmark
    public int stepA() {
        return state.stepA();
    }

    @Benchmark
    public int stepB() {
        return state.stepB();
    }

    @Benchmark
    public int stepS() {
        return state.stepS();
    }

    /** The S step with its sweep over output blocks on two threads (the same bits as on one). */
    @Benchmark
    public int stepSTwoThreads() {
        return twoThreads.stepS();
    }

    @Benchmark
    public double iteration() {
        for (int step = 0; step < 3; step++) {
            ArmorState.Snapshot before = state.snapshot(step);
            if (step == 0) state.stepA();
            else if (step == 1) state.stepB();
            else state.stepS();
            double next = state.loss();
            if (next <= loss) loss = next;
            else before.restore(state);
        }
        return loss;
    }
}
