package org.nowag.kernels.vq;

import java.util.Arrays;
import java.util.Random;
import org.nowag.kernels.ParallelBlocks;

/**
 * k-means++ seeding with the weighted distance: the first centroid is a uniformly drawn subvector, each next one is
 * drawn with probability proportional to D^2, the distance to the nearest centroid so far (textbook D^2 sampling,
 * java.util.Random(seed); see {@link WeightedKMeans} for where this differs from the reference).
 *
 * <p>Each step lowers every subvector's D^2 to the newest centroid; the subvectors are cut into chunks of
 * {@link #CHUNK}, which run on the threads of one pool kept for the whole seeding, each chunk summing its D^2 in
 * subvector order. The total is the chunk sums added in chunk order, and the draw walks the chunk sums to the
 * chunk, then that chunk's subvectors. Every double operation depends only on the chunk layout, never on the
 * thread count; with one chunk (at most 4096 subvectors) it is exactly the sequential sum and walk.
 */
final class KMeansPlusPlus {
    /** Subvectors per chunk: one unit of parallel work, and the granularity of the summation order. */
    static final int CHUNK = 4096;

    private KMeansPlusPlus() {}

    /**
     * k-means++ over the m subvectors in {@code data}; subvector i is the matrix's subvector index[i] (all of them in
     * order when index is null), which picks its weight row index[i] % groups.
     */
    static float[] seed(float[] data, int d, float[] weights, int groups, int[] index, int k, long seed, int threads) {
        int n = data.length / d;
        Random rnd = new Random(seed);
        float[] codebook = new float[k * d];
        int[] w0 = new int[n];
        for (int i = 0; i < n; i++) w0[i] = ((index == null ? i : index[i]) % groups) * d;
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] chunkSum = new double[chunks];
        int chosen = rnd.nextInt(n);
        System.arraycopy(data, chosen * d, codebook, 0, d);
        try (ParallelBlocks pool = new ParallelBlocks(Math.min(threads, chunks))) {
            for (int c = 1; c < k; c++) {
                int newest = (c - 1) * d;
                pool.sum(chunks, ch -> {
                    chunkSum[ch] = lower(data, d, weights, w0, codebook, newest, minDist, ch * CHUNK,
                            Math.min(n, (ch + 1) * CHUNK));
                    return 0;
                });
                double total = 0;
                for (double s : chunkSum) total += s;
                chosen = total > 0 ? draw(minDist, chunkSum, rnd.nextDouble() * total) : rnd.nextInt(n);
                System.arraycopy(data, chosen * d, codebook, c * d, d);
            }
        }
        return codebook;
    }

    /**
     * Lowers D^2 of subvectors from .. to - 1 to the centroid at codebook[at ..] and returns their sum in subvector
     * order. Each distance is sum_t w_t (v_t - c_t)^2 in double, t in order, as (w * diff) * diff.
     */
    private static double lower(float[] data, int d, float[] weights, int[] w0, float[] codebook, int at,
                                double[] minDist, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            int o = i * d;
            int w = w0[i];
            double dist = 0;
            for (int t = 0; t < d; t++) {
                double diff = (double) data[o + t] - (double) codebook[at + t];
                dist += weights[w + t] * diff * diff;
            }
            if (dist < minDist[i]) minDist[i] = dist;
            sum += minDist[i];
        }
        return sum;
    }

    /**
     * The subvector where the running sum of D^2 first exceeds u: the first chunk whose running chunk sum exceeds u,
     * then within it the first subvector whose running sum (continued from the chunks before) exceeds u; when
     * rounding leaves u unreached, the last subvector with positive D^2 of the chunk reached (or of the last chunk
     * with a positive sum).
     */
    static int draw(double[] minDist, double[] chunkSum, double u) {
        double cum = 0;
        double before = 0;
        int chunk = -1;
        for (int ch = 0; ch < chunkSum.length; ch++) {
            if (chunkSum[ch] > 0) {
                chunk = ch;
                before = cum;
                if (cum + chunkSum[ch] > u) break;
                cum += chunkSum[ch];
            }
        }
        cum = before;
        int last = -1;
        for (int i = chunk * CHUNK; i < Math.min(minDist.length, (chunk + 1) * CHUNK); i++) {
            if (minDist[i] > 0) {
                last = i;
                cum += minDist[i];
                if (cum > u) return i;
            }
        }
        return last;
    }
}
