package org.nowag.kernels.vq;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the assignment step for benchmarks: the GEMMs alone (same shapes and chunking as {@link WeightedKMeans}),
 * then the whole step (data side, GEMM, argmin, exact guard). Centroids are K random subvectors (no k-means++,
 * whose cost is not the assignment's).
 */
public final class WeightedKMeansProbe {
    private WeightedKMeansProbe() {}

    /** @return {GEMM-only seconds, whole-step seconds, GEMM flops (2 * n * K * 2d)} */
    public static double[] timeAssignment(float[] data, int d, float[] weights, int groups, int k, long seed) {
        int n = data.length / d;
        Random rnd = new Random(seed);
        float[] codebook = new float[k * d];
        for (int c = 0; c < k; c++) System.arraycopy(data, rnd.nextInt(n) * d, codebook, c * d, d);
        INDArray centroidSide = Nd4j.create(WeightedKMeans.centroidSide(codebook, k, d), new long[] {2L * d, k}, DataType.FLOAT);
        int chunk = (int) Math.max(1, Math.min(n, WeightedKMeans.DISTANCE_BLOCK_FLOATS / k));
        INDArray dataSide = Nd4j.create(WeightedKMeans.dataSide(data, d, weights, groups, 0, chunk), new long[] {chunk, 2L * d},
                DataType.FLOAT);
        INDArray out = WeightedKMeans.distanceBlock(chunk, k);
        dataSide.mmul(centroidSide, out);  // warm-up
        long t0 = System.nanoTime();
        for (int start = 0; start < n; start += chunk) {
            dataSide.mmul(centroidSide, out);  // same shape every chunk: the GEMM's own cost
        }
        double gemm = (System.nanoTime() - t0) / 1e9;
        int[] codes = new int[n];
        Arrays.fill(codes, -1);
        t0 = System.nanoTime();
        WeightedKMeans.assign(data, d, weights, groups, codebook, k, codes);
        double step = (System.nanoTime() - t0) / 1e9;
        double chunks = Math.ceil((double) n / chunk);
        return new double[] {gemm, step, 2.0 * chunks * chunk * k * 2 * d};
    }
}
