package org.nowag.bench;

import java.util.concurrent.TimeUnit;
import org.nowag.kernels.loss.ProxyLoss;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The weighted proxy loss over a 1024 x 4096 block; baseline: a plain double dot product of the same arrays. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProxyLossBench {
    private float[] a;
    private float[] b;
    private float[] s;

    @Setup
    public void setUp() {
        a = BenchData.gaussian(BenchData.ROWS * BenchData.COLS, 1);
        b = BenchData.gaussian(BenchData.ROWS * BenchData.COLS, 2);
        s = BenchData.positive(BenchData.COLS, 3);
    }

    @Benchmark
    public double baseline() {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += (double) a[k] * b[k];
        }
        return sum;
    }

    @Benchmark
    public double proxyLoss() {
        return ProxyLoss.normalized(a, b, BenchData.ROWS, BenchData.COLS, s);
    }
}
