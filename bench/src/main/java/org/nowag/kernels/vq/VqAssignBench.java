package org.nowag.kernels.vq;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.bench.BenchData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One NoWag-VQ assignment step: n = 32,768 subvectors of d = 6 (a 256 x 768 matrix), K = 4096 centroids, from the
 * codes of one earlier step, on {@code threads} threads; and a whole iteration (assignment, weighted sums, centroid
 * update). Lives in the kernel's package to reach the package-private step. Baseline: the GEMM formulation the
 * fused kernel replaced, its products alone ([w | -2 w o v] (n x 2d) times [c o c ; c] (2d x K) through ND4J, in
 * the same 2^24-score chunks, column-major output, no argmin): the old step's floor, with twice the fused step's
 * flops and an n x K score write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VqAssignBench {
    static final int N = 32_768;
    static final int D = 6;
    static final int K = 4096;
    static final int GROUPS = 128;

    @Param({"1", "2"})
    public int threads;

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
        round.step(List.of(WeightedKMeans.assignAndSum(data, 0, N, D, weights, GROUPS, codebook, K, startCodes, 1)));
        codebook = round.codebook();
        codes = new int[N];
        int chunk = Math.min(N, (1 << 24) / K);
        centroidSide = Nd4j.create(centroidSide(codebook), new long[] {2L * D, K}, DataType.FLOAT);
        dataSide = Nd4j.create(dataSide(data, weights, chunk), new long[] {chunk, 2L * D}, DataType.FLOAT);
        distances = Nd4j.create(DataType.FLOAT, new long[] {chunk, K}, 'f');
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
        WeightedKMeans.assign(data, 0, N, D, weights, GROUPS, codebook, K, codes, threads);
        return codes;
    }

    @Benchmark
    public float[] iteration() {
        System.arraycopy(startCodes, 0, codes, 0, N);
        BlockedKMeans round = new BlockedKMeans(codebook, K, D, 1);
        round.step(List.of(WeightedKMeans.assignAndSum(data, 0, N, D, weights, GROUPS, codebook, K, codes, threads)));
        return round.codebook();
    }

    /** [w | -2 w o v] for the first rows subvectors, row-major rows x 2d. */
    static float[] dataSide(float[] data, float[] weights, int rows) {
        float[] a = new float[rows * 2 * D];
        for (int r = 0; r < rows; r++) {
            int w0 = (r % GROUPS) * D;
            for (int t = 0; t < D; t++) {
                a[r * 2 * D + t] = weights[w0 + t];
                a[r * 2 * D + D + t] = -2f * weights[w0 + t] * data[r * D + t];
            }
        }
        return a;
    }

    /** [c o c ; c] as a 2d x K row-major matrix (column j = centroid j). */
    static float[] centroidSide(float[] codebook) {
        float[] b = new float[2 * D * K];
        for (int j = 0; j < K; j++) {
            for (int t = 0; t < D; t++) {
                float c = codebook[j * D + t];
                b[t * K + j] = c * c;
                b[(D + t) * K + j] = c;
            }
        }
        return b;
    }
}
