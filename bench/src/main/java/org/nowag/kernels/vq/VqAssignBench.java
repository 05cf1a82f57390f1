package org.nowag.kernels.vq;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.bench.BenchData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One NoWag-VQ assignment step: n = 32,768 subvectors of d = 6 (a 256 x 768 matrix), K = 4096 centroids, from
 * the codes of one earlier step. Lives in the kernel's package to reach the package-private step. Baseline: the
 * chunked GEMMs alone (the same products, no data side, argmin or exact guard): the step's floor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VqAssignBench {
    static final int N = 32_768;
    static final int D = 6;
    static final int K = 4096;
    static final int GROUPS = 128;

    private float[] data;
    private float[] weights;
    private float[] codebook;
    private int[] startCodes;
    private int[] codes;
    private INDArray centroidSide;
    private INDArray dataSide;
    private INDArray distances;

    @Setup
    public void setUp() {
        data = BenchData.gaussian(N * D, 1);
        weights = BenchData.positive(GROUPS * D, 2);
        codebook = Arrays.copyOf(BenchData.gaussian(K * D, 3), K * D);
        startCodes = new int[N];
        Arrays.fill(startCodes, -1);
        // one assign + update round, so the benchmarked assignment starts from codes that are not yet optimal
        BlockedKMeans round = new BlockedKMeans(codebook, K, D, 1);
        round.step(java.util.List.of(WeightedKMeans.assignAndSum(data, 0, N, D, weights, GROUPS, codebook, K, startCodes)));
        codebook = round.codebook();
        codes = new int[N];
        int chunk = (int) Math.min(N, WeightedKMeans.DISTANCE_BLOCK_FLOATS / K);
        centroidSide = Nd4j.create(WeightedKMeans.centroidSide(codebook, K, D), new long[] {2L * D, K}, DataType.FLOAT);
        dataSide = Nd4j.create(WeightedKMeans.dataSide(data, D, weights, GROUPS, 0, chunk), new long[] {chunk, 2L * D},
                DataType.FLOAT);
        distances = WeightedKMeans.distanceBlock(chunk, K);
    }

    @Benchmark
    public INDArray baseline() {
        int chunk = (int) dataSide.size(0);
        for (int start = 0; start < N; start += chunk) {
            dataSide.mmul(centroidSide, distances);
        }
        return distances;
    }

    @Benchmark
    public int[] assign() {
        System.arraycopy(startCodes, 0, codes, 0, N);
        WeightedKMeans.assign(data, D, weights, GROUPS, codebook, K, codes);
        return codes;
    }
}
