package org.nowag.tools.measure;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqBlockSums;
import org.nowag.kernels.vq.VqGeometry;
import org.nowag.kernels.vq.WeightedKMeans;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;
import org.nowag.kernels.vq.WeightedKMeansProbe;

/**
 * Timings for `nowag bench-vq` (a benchmark, never a test). Everything is measured in the same JVM run: ND4J's GEMM
 * peak on a square product, one k-means iteration (the fused assignment step alone, and assignment plus centroid
 * update), and whole matrices through NoWag-VQ.
 */
public final class VqBench {
    private VqBench() {}

    /** GFLOP/s of an n x n x n float GEMM (2 n^3 flops), best of {@code repeats} after one warm-up. */
    public static double gemmPeak(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        a.mmul(b);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            a.mmul(b);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /** Random rows x cols normalized-looking matrix (Gaussian, seeded). */
    public static float[] gaussian(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        return w;
    }

    /**
     * Timings of one k-means iteration on the rows * cols / d subvectors of a rows x cols matrix, on {@code threads}
     * threads, each the best of {@code repeats}: [assignment seconds, whole-iteration seconds (assignment, sums, update), flops of the fused scan
     * (2 * n * K * d)]. Only the count of subvectors matters to the cost, so a d_in that d does not divide (4096
     * with d = 6) still times the same-sized step; the weights are all ones.
     */
    public static double[] iteration(int rows, int cols, int d, int k, long seed, int threads, int repeats) {
        float[] data = gaussian(rows, cols, seed);
        float[] weights = new float[d];
        java.util.Arrays.fill(weights, 1f);
        int usable = rows * cols / d * d;
        return WeightedKMeansProbe.timeIteration(java.util.Arrays.copyOf(data, usable), d, weights, 1, k, seed, threads,
                repeats);
    }

    /**
     * Seconds of the k-means++ init alone on the subvectors of a Gaussian rows x cols matrix (padded as the kernel
     * pads, unit weights): the init runs on min(n, VqConfig.initSample) of them, so this is its cost in the whole run.
     */
    public static double initSeconds(int rows, int cols, VqConfig cfg, int threads) {
        VqGeometry geo = VqGeometry.of(rows, cols, cfg);
        float[] data = VqBlockSums.subvectors(gaussian(rows, cols, 7), 0, rows, geo, 0f);
        float[] weights = geo.paddedWeights(null);
        int n = geo.subvectors();
        int k = Math.min(cfg.codebookSize, n);
        long t0 = System.nanoTime();
        int[] sample = WeightedKMeans.initSample(n, k, cfg.initSample, cfg.seed);
        float[] sampled = sample == null ? data : gather(data, geo.dim, sample);
        WeightedKMeans.kMeansPlusPlus(sampled, geo.dim, weights, geo.groups, sample, k, cfg.seed, threads);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static float[] gather(float[] data, int d, int[] idx) {
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) System.arraycopy(data, idx[i] * d, out, i * d, d);
        return out;
    }

    public static VqResult wholeMatrix(int rows, int cols, VqConfig cfg, int threads) {
        return NoWagVq.quantize(gaussian(rows, cols, 7), rows, cols, null, cfg, threads);
    }
}
