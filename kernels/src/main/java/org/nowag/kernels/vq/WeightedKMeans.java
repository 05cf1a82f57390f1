package org.nowag.kernels.vq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nowag.kernels.ParallelBlocks;

/**
 * Weighted k-means over n subvectors of length d, the NoWag-VQ clustering (src/quantize_compress.py in the NoWag
 * reference: K_means_pp_init, weighted_kmeans_assign, weighted_kmeans_update). Subvector g uses the weight vector of
 * its column group g % groups: in a matrix split row by row into groups = d_in / d subvectors, subvector g covers
 * inputs (g % groups) * d .. + d - 1 and is weighted by those inputs' activation statistics s.
 *
 * <p>Distance ||v - c||_S^2 = sum_k w_k (v_k - c_k)^2 = w.v^2 - 2 (w o v).c + w.c^2. The first term does not depend
 * on c, so the assignment is argmin_c of w.c^2 - 2 (w o v).c: the reference's
 * {@code weights @ (centroids**2).T - 2 * (data * weights) @ centroids.T}, which handles a different S per
 * subvector because S enters on the data side. Here it is one fused pass ({@link NearestCentroids}) that keeps the
 * running minimum in registers instead of a GEMM that writes an n x K score matrix.
 *
 * <p>Determinism and monotonicity, where this kernel is stricter than the reference:
 * <ul>
 *   <li>Init: textbook k-means++ (D^2 sampling with the weighted distance, java.util.Random seeded) over all
 *       subvectors, or over a seeded uniform sample of them when there are more than VqConfig.initSample. The reference samples from a random subset of K subvectors per step and clips distances to [0, 1]
 *       (its speed-up); exact D^2 sampling is what its docstring names, and is reproducible on any machine.
 *       When every remaining distance is 0 the next centroid is a uniformly drawn subvector.</li>
 *   <li>Assignment: the fused scan proposes the nearest centroid in float; a subvector moves only when the exact
 *       distance (double) to the proposal is strictly smaller than to its current centroid. So float rounding in the
 *       expanded distance can never raise the loss, and "no code changed" is a reliable stop.</li>
 *   <li>Update: each centroid coordinate becomes the w-weighted mean of its members (double sums in subvector order
 *       within chunks of 2^18 subvectors of each block of whole rows, chunks and blocks added in order: see
 *       {@link BlockedKMeans}).
 *       An empty cluster, or a coordinate whose members' weights sum to 0, KEEPS its previous value (the reference
 *       divides by sum + 1e-8, which turns them into 0; keeping is just as optimal and leaves the centroid usable).</li>
 *   <li>Stop: after an assignment that changed no code (iteration > 0), or after maxIterations assign+update rounds
 *       (the reference's rule: it breaks when an iteration's assignments equal the previous ones).</li>
 *   <li>Threads: the assignment and k-means++ run on {@code threads} threads; every result is the same bit for bit
 *       for any thread count (each thread computes values that do not depend on which thread computes them, and
 *       every sum is taken in a fixed order).</li>
 * </ul>
 */
public final class WeightedKMeans {
    private WeightedKMeans() {}

    /**
     * @param data    n x d subvectors, row-major
     * @param weights groups x d weights (>= 0); subvector g uses row g % groups
     * @param k       number of centroids; if n < k the codebook has n centroids (every subvector its own)
     */
    public static KMeansResult run(float[] data, int d, float[] weights, int groups, int k, int maxIterations, long seed) {
        return run(data, d, weights, groups, k, maxIterations, seed, VqConfig.DEFAULT_BLOCK_SUBVECTORS,
                VqConfig.DEFAULT_INIT_SAMPLE, 1);
    }

    /**
     * The same k-means, its sums taken per block of {@link #blockLength} subvectors and added in block order
     * ({@link BlockedKMeans}), and k-means++ on the seeded sample {@link #initSample}: exactly what row blocks on
     * executors compute for the same arguments, for any {@code threads} (>= 1).
     */
    public static KMeansResult run(float[] data, int d, float[] weights, int groups, int k, int maxIterations, long seed,
                                   int blockSubvectors, int initSample, int threads) {
        checkArguments(data, d, weights, groups, k, maxIterations);
        int n = data.length / d;
        int kEff = Math.min(k, n);
        int[] sample = initSample(n, kEff, initSample, seed);
        float[] codebook = sample == null ? kMeansPlusPlus(data, d, weights, groups, null, kEff, seed, threads)
                : kMeansPlusPlus(gather(data, d, sample), d, weights, groups, sample, kEff, seed, threads);
        BlockedKMeans km = new BlockedKMeans(codebook, kEff, d, maxIterations);
        int block = blockLength(groups, blockSubvectors);
        int[] codes = new int[n];
        Arrays.fill(codes, -1);
        while (!km.done()) {
            List<BlockedKMeans.Partial> partials = new ArrayList<>();
            for (int from = 0; from < n; from += block) {
                partials.add(assignAndSum(data, from, Math.min(n, from + block), d, weights, groups, km.codebook(), kEff,
                        codes, threads));
            }
            km.step(partials);
        }
        double finalLoss = 0;
        for (int from = 0; from < n; from += block) {
            finalLoss += loss(data, from, Math.min(n, from + block), d, weights, groups, codes, km.codebook());
        }
        return km.result(codes, finalLoss);
    }

    /** Subvectors per k-means block: whole rows of {@code groups} subvectors, at most blockSubvectors (>= 1 row). */
    public static int blockLength(int groups, int blockSubvectors) {
        return Math.multiplyExact(Math.max(1, blockSubvectors / groups), groups);
    }

    /**
     * The subvectors k-means++ draws from: null when n <= max(sample, k) (all of them), else a uniform sample of that
     * size in increasing order (selection sampling, Knuth's Algorithm S, with its own seeded stream).
     */
    public static int[] initSample(long n, int k, int sample, long seed) {
        int m = Math.max(sample, k);
        if (n <= m) return null;
        Random rnd = new Random(seed ^ 0x6B6D65616E732B2BL);  // "kmeans++": a stream apart from the init's own
        int[] idx = new int[m];
        int taken = 0;
        for (long g = 0; g < n && taken < m; g++) {
            if ((n - g) * rnd.nextDouble() < m - taken) idx[taken++] = (int) g;
        }
        return idx;
    }

    static float[] gather(float[] data, int d, int[] idx) {
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) System.arraycopy(data, idx[i] * d, out, i * d, d);
        return out;
    }

    /** k-means++ over all subvectors on one thread (see {@link KMeansPlusPlus}). */
    static float[] kMeansPlusPlus(float[] data, int d, float[] weights, int groups, int k, long seed) {
        return kMeansPlusPlus(data, d, weights, groups, null, k, seed, 1);
    }

    /**
     * k-means++ over the m subvectors in {@code data}; subvector i is the matrix's subvector index[i] (all of them in
     * order when index is null), which picks its weight row index[i] % groups. The same centroids for any
     * {@code threads} (see {@link KMeansPlusPlus}).
     */
    public static float[] kMeansPlusPlus(float[] data, int d, float[] weights, int groups, int[] index, int k, long seed,
                                         int threads) {
        return KMeansPlusPlus.seed(data, d, weights, groups, index, k, seed, threads);
    }

    /**
     * One block's share of an iteration: assign subvectors from .. to - 1 (codes[g] holds g's current code, -1 before
     * the first), then the w-weighted sums of the new members per centroid coordinate, in double, subvector order
     * within chunks of {@link #SUM_CHUNK} (on the threads), the chunks added in order.
     * {@code from} must be a multiple of groups (whole rows), so g % groups is the same in any array holding the
     * block from index 0. The same result for any {@code threads} (>= 1).
     */
    public static BlockedKMeans.Partial assignAndSum(float[] data, int from, int to, int d, float[] weights, int groups,
                                                     float[] codebook, int k, int[] codes, int threads) {
        Assignment a = assign(data, from, to, d, weights, groups, codebook, k, codes, threads);
        int chunks = (to - from + SUM_CHUNK - 1) / SUM_CHUNK;
        double[][] num = new double[chunks][];
        double[][] den = new double[chunks][];
        ParallelBlocks.sum(chunks, threads, ch -> {
            num[ch] = new double[k * d];
            den[ch] = new double[k * d];
            addMembers(data, from + ch * SUM_CHUNK, Math.min(to, from + (ch + 1) * SUM_CHUNK), d, weights, groups, codes,
                    num[ch], den[ch]);
            return 0;
        });
        for (int ch = 1; ch < chunks; ch++) {
            for (int i = 0; i < num[0].length; i++) {
                num[0][i] += num[ch][i];
                den[0][i] += den[ch][i];
            }
        }
        return new BlockedKMeans.Partial(a.changed, a.loss, num[0], den[0]);
    }

    /**
     * Subvectors per chunk of the weighted sums: each chunk sums in subvector order on one thread, and the chunks are
     * added in order, so the sums do not depend on the thread count (a block of at most this many is one chunk).
     */
    static final int SUM_CHUNK = 1 << 18;

    /** num[c t] += w_t v_t and den[c t] += w_t over the members c = codes[g] of subvectors from .. to - 1, in order. */
    private static void addMembers(float[] data, int from, int to, int d, float[] weights, int groups, int[] codes,
                                   double[] num, double[] den) {
        for (int g = from; g < to; g++) {
            int w0 = (g % groups) * d;
            int c0 = codes[g] * d;
            for (int t = 0; t < d; t++) {
                double w = weights[w0 + t];
                num[c0 + t] += w * data[g * d + t];
                den[c0 + t] += w;
            }
        }
    }

    /** Outcome of one assignment step: how many codes moved and the loss with the current codebook. */
    static final class Assignment {
        final int changed;
        final double loss;

        Assignment(int changed, double loss) {
            this.changed = changed;
            this.loss = loss;
        }
    }

    /** Assignment step on one thread: fused proposals, accepted only on a strict exact improvement. */
    static Assignment assign(float[] data, int d, float[] weights, int groups, float[] codebook, int k, int[] codes) {
        return assign(data, 0, data.length / d, d, weights, groups, codebook, k, codes, 1);
    }

    /**
     * The assignment of subvectors from .. to - 1: {@link NearestCentroids} proposes the float argmin on
     * {@code threads} threads; then, in subvector order, a subvector moves only when the exact (double) distance to
     * the proposal is strictly below the distance to its current centroid, and the loss adds up its exact distance.
     */
    static Assignment assign(float[] data, int from, int to, int d, float[] weights, int groups, float[] codebook, int k,
                             int[] codes, int threads) {
        int[] proposal = new NearestCentroids(codebook, k, d).propose(data, from, to, weights, groups, threads);
        int changed = 0;
        double loss = 0;
        for (int g = from; g < to; g++) {
            int current = codes[g];
            double best = current < 0 ? Double.POSITIVE_INFINITY : distance(data, g, d, weights, groups, codebook, current);
            int p = proposal[g - from];
            if (p != current) {
                double candidate = distance(data, g, d, weights, groups, codebook, p);
                if (candidate < best) {
                    codes[g] = p;
                    best = candidate;
                    changed++;
                }
            }
            loss += best;
        }
        return new Assignment(changed, loss);
    }

    /** sum_g ||v_g - c_codes[g]||_S^2 in double, subvector order. */
    public static double loss(float[] data, int d, float[] weights, int groups, int[] codes, float[] codebook) {
        return loss(data, 0, codes.length, d, weights, groups, codes, codebook);
    }

    /** The loss of subvectors from .. to - 1, in double, subvector order. */
    public static double loss(float[] data, int from, int to, int d, float[] weights, int groups, int[] codes,
                              float[] codebook) {
        double sum = 0;
        for (int g = from; g < to; g++) {
            sum += distance(data, g, d, weights, groups, codebook, codes[g]);
        }
        return sum;
    }

    /** Exact weighted distance sum_t w_t (v_t - c_t)^2 in double (differences of floats are exact in double). */
    static double distance(float[] data, int g, int d, float[] weights, int groups, float[] codebook, int c) {
        return distanceAt(data, g, d, weights, (g % groups) * d, codebook, c);
    }

    /** The same distance with the weight row's offset given. */
    static double distanceAt(float[] data, int g, int d, float[] weights, int w0, float[] codebook, int c) {
        double sum = 0;
        for (int t = 0; t < d; t++) {
            double diff = (double) data[g * d + t] - (double) codebook[c * d + t];
            sum += weights[w0 + t] * diff * diff;
        }
        return sum;
    }

    static void checkArguments(float[] data, int d, float[] weights, int groups, int k, int maxIterations) {
        if (d < 1) throw new IllegalArgumentException("subvector dimension d=" + d + " must be >= 1");
        if (data == null || data.length == 0 || data.length % d != 0) {
            throw new IllegalArgumentException("data length " + (data == null ? "null" : data.length)
                    + " must be a positive multiple of d=" + d);
        }
        if (groups < 1 || weights == null || weights.length != groups * d) {
            throw new IllegalArgumentException("weights must hold groups * d = " + groups + " * " + d + " values, got "
                    + (weights == null ? "null" : weights.length));
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i]) || weights[i] < 0f) {
                throw new IllegalArgumentException("weights[" + i + "] = " + weights[i] + ": must be finite and >= 0");
            }
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("data[" + i + "] = " + data[i] + ": subvectors must be finite");
            }
        }
        if (k < 1) throw new IllegalArgumentException("codebook size k=" + k + " must be >= 1");
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations=" + maxIterations + " must be >= 1");
    }
}
