package org.nowag.kernels.vq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.kernels.simd.Simd;
import org.nowag.kernels.simd.VectorLoops;

/**
 * Weighted k-means over n subvectors of length d, the NoWag-VQ clustering (src/quantize_compress.py in the NoWag
 * reference: K_means_pp_init, weighted_kmeans_assign, weighted_kmeans_update). Subvector g uses the weight vector of
 * its column group g % groups: in a matrix split row by row into groups = d_in / d subvectors, subvector g covers
 * inputs (g % groups) * d .. + d - 1 and is weighted by those inputs' activation statistics s.
 *
 * <p>Distance ||v - c||_S^2 = sum_k w_k (v_k - c_k)^2 = w.v^2 - 2 (w o v).c + w.c^2. The first term does not depend
 * on c, so the assignment is argmin_c of [w | -2 w o v] . [c o c | c]: ONE GEMM with inner dimension 2d between an
 * n x 2d matrix (built per row chunk) and the 2d x K matrix of the codebook; this is the reference's
 * {@code weights @ (centroids**2).T - 2 * (data * weights) @ centroids.T}, which handles a different S per
 * subvector because S enters on the data side.
 *
 * <p>Determinism and monotonicity, where this kernel is stricter than the reference:
 * <ul>
 *   <li>Init: textbook k-means++ (D^2 sampling with the weighted distance, java.util.Random seeded) over all
 *       subvectors, or over a seeded uniform sample of them when there are more than VqConfig.initSample. The reference samples from a random subset of K subvectors per step and clips distances to [0, 1]
 *       (its speed-up); exact D^2 sampling is what its docstring names, and is reproducible on any machine.
 *       When every remaining distance is 0 the next centroid is a uniformly drawn subvector.</li>
 *   <li>Assignment: the GEMM proposes the nearest centroid in float; a subvector moves only when the exact distance
 *       (double) to the proposal is strictly smaller than to its current centroid. So float rounding in the expanded
 *       distance can never raise the loss, and "no code changed" is a reliable stop.</li>
 *   <li>Update: each centroid coordinate becomes the w-weighted mean of its members (double sums in subvector order
 *       within each block of whole rows, blocks added in order: see {@link BlockedKMeans}).
 *       An empty cluster, or a coordinate whose members' weights sum to 0, KEEPS its previous value (the reference
 *       divides by sum + 1e-8, which turns them into 0; keeping is just as optimal and leaves the centroid usable).</li>
 *   <li>Stop: after an assignment that changed no code (iteration > 0), or after maxIterations assign+update rounds.</li>
 * </ul>
 */
public final class WeightedKMeans {
    /** Rows of the n x K distance block computed per GEMM: about 64 MiB of floats for K = 4096. */
    static final long DISTANCE_BLOCK_FLOATS = 1L << 24;

    private WeightedKMeans() {}

    /**
     * @param data    n x d subvectors, row-major
     * @param weights groups x d weights (>= 0); subvector g uses row g % groups
     * @param k       number of centroids; if n < k the codebook has n centroids (every subvector its own)
     */
    public static KMeansResult run(float[] data, int d, float[] weights, int groups, int k, int maxIterations, long seed) {
        return run(data, d, weights, groups, k, maxIterations, seed, VqConfig.DEFAULT_BLOCK_SUBVECTORS,
                VqConfig.DEFAULT_INIT_SAMPLE);
    }

    /**
     * The same k-means, its sums taken per block of {@link #blockLength} subvectors and added in block order
     * ({@link BlockedKMeans}), and k-means++ on the seeded sample {@link #initSample}: exactly what row blocks on
     * executors compute for the same arguments.
     */
    public static KMeansResult run(float[] data, int d, float[] weights, int groups, int k, int maxIterations, long seed,
                                   int blockSubvectors, int initSample) {
        checkArguments(data, d, weights, groups, k, maxIterations);
        int n = data.length / d;
        int kEff = Math.min(k, n);
        int[] sample = initSample(n, kEff, initSample, seed);
        float[] codebook = sample == null ? kMeansPlusPlus(data, d, weights, groups, kEff, seed)
                : kMeansPlusPlus(gather(data, d, sample), d, weights, groups, sample, kEff, seed);
        BlockedKMeans km = new BlockedKMeans(codebook, kEff, d, maxIterations);
        int block = blockLength(groups, blockSubvectors);
        int[] codes = new int[n];
        Arrays.fill(codes, -1);
        while (!km.done()) {
            List<BlockedKMeans.Partial> partials = new ArrayList<>();
            for (int from = 0; from < n; from += block) {
                partials.add(assignAndSum(data, from, Math.min(n, from + block), d, weights, groups, km.codebook(), kEff, codes));
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

    /** k-means++: first centroid uniform, then each next one drawn with probability proportional to D^2 (weighted). */
    static float[] kMeansPlusPlus(float[] data, int d, float[] weights, int groups, int k, long seed) {
        return kMeansPlusPlus(data, d, weights, groups, null, k, seed);
    }

    /**
     * k-means++ over the m subvectors in {@code data}; subvector i is the matrix's subvector index[i] (all of them in
     * order when index is null), which picks its weight row index[i] % groups.
     *
     * <p>Each step adds one centroid and lowers every subvector's D^2 to it. The data and weights are laid out
     * coordinate-major (one double array per coordinate), so the distance to the new centroid is d passes of a
     * branch-free loop over the subvectors that the JIT vectorizes, instead of a short loop per subvector with
     * index arithmetic; each distance is still summed over t = 0 .. d-1 in the same order with the same double
     * operations, so the centroids are the same bit for bit as the scalar loop's (KMeansPlusPlusTest keeps it).
     */
    public static float[] kMeansPlusPlus(float[] data, int d, float[] weights, int groups, int[] index, int k, long seed) {
        int n = data.length / d;
        Random rnd = new Random(seed);
        float[] codebook = new float[k * d];
        double[][] v = new double[d][n];
        double[][] w = new double[d][n];
        for (int g = 0; g < n; g++) {
            int w0 = ((index == null ? g : index[g]) % groups) * d;
            for (int t = 0; t < d; t++) {
                v[t][g] = data[g * d + t];
                w[t][g] = weights[w0 + t];
            }
        }
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        double[] dist = new double[n];
        int chosen = rnd.nextInt(n);
        System.arraycopy(data, chosen * d, codebook, 0, d);
        for (int c = 1; c < k; c++) {
            Arrays.fill(dist, 0.0);
            for (int t = 0; t < d; t++) {
                addWeightedSquare(dist, v[t], w[t], codebook[(c - 1) * d + t], n);
            }
            // Distances are >= +0 and finite, so Math.min is the scalar loop's "if (dist < min) min = dist".
            for (int g = 0; g < n; g++) {
                minDist[g] = Math.min(minDist[g], dist[g]);
            }
            double total = 0;
            for (int g = 0; g < n; g++) {
                total += minDist[g];
            }
            chosen = total > 0 ? sampleProportional(minDist, total, rnd.nextDouble() * total) : rnd.nextInt(n);
            System.arraycopy(data, chosen * d, codebook, c * d, d);
        }
        return codebook;
    }

    /** dist[g] += w[g] * (v[g] - c)^2, in the order (w * diff) * diff of the scalar distance. */
    private static void addWeightedSquare(double[] dist, double[] v, double[] w, float c, int n) {
        double cc = c;
        for (int g = 0; g < n; g++) {
            double diff = v[g] - cc;
            dist[g] += w[g] * diff * diff;
        }
    }

    /**
     * One block's share of an iteration: assign subvectors from .. to - 1 (codes[g] holds g's current code, -1 before
     * the first), then the w-weighted sums of the new members per centroid coordinate, in double, subvector order.
     * {@code from} must be a multiple of groups (whole rows), so g % groups is the same in any array holding the
     * block from index 0.
     */
    public static BlockedKMeans.Partial assignAndSum(float[] data, int from, int to, int d, float[] weights, int groups,
                                                     float[] codebook, int k, int[] codes) {
        Assignment a = assign(data, from, to, d, weights, groups, codebook, k, codes);
        double[] num = new double[k * d];
        double[] den = new double[k * d];
        for (int g = from; g < to; g++) {
            int w0 = (g % groups) * d;
            int c0 = codes[g] * d;
            for (int t = 0; t < d; t++) {
                double w = weights[w0 + t];
                num[c0 + t] += w * data[g * d + t];
                den[c0 + t] += w;
            }
        }
        return new BlockedKMeans.Partial(a.changed, a.loss, num, den);
    }

    /** The first index whose running sum exceeds u; the last positive entry if rounding leaves u unreached. */
    static int sampleProportional(double[] mass, double total, double u) {
        double cum = 0;
        int lastPositive = -1;
        for (int g = 0; g < mass.length; g++) {
            if (mass[g] > 0) {
                lastPositive = g;
                cum += mass[g];
                if (cum > u) {
                    return g;
                }
            }
        }
        return lastPositive;
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

    /** Assignment step: GEMM proposals per row chunk, accepted only on a strict exact improvement. */
    static Assignment assign(float[] data, int d, float[] weights, int groups, float[] codebook, int k, int[] codes) {
        return assign(data, 0, data.length / d, d, weights, groups, codebook, k, codes);
    }

    /** The assignment of subvectors from .. to - 1 only; GEMM chunks start at {@code from}. */
    static Assignment assign(float[] data, int from, int to, int d, float[] weights, int groups, float[] codebook, int k,
                             int[] codes) {
        int n = to - from;
        INDArray centroidSide = Nd4j.create(centroidSide(codebook, k, d), new long[] {2L * d, k}, DataType.FLOAT);
        int chunk = (int) Math.max(1, Math.min(n, DISTANCE_BLOCK_FLOATS / k));
        int changed = 0;
        double loss = 0;
        INDArray distances = distanceBlock(chunk, k);
        int[] proposal = new int[chunk];
        float[] nearest = new float[chunk];
        for (int start = from; start < to; start += chunk) {
            int rows = Math.min(chunk, to - start);
            if (rows != chunk) distances = distanceBlock(rows, k);
            INDArray dataSide = Nd4j.create(dataSide(data, d, weights, groups, start, rows), new long[] {rows, 2L * d},
                    DataType.FLOAT);
            dataSide.mmul(centroidSide, distances);
            argminPerRow(distances.data().asNio(), rows, k, proposal, nearest);
            for (int r = 0; r < rows; r++) {
                int g = start + r;
                int current = codes[g];
                double best = current < 0 ? Double.POSITIVE_INFINITY : distance(data, g, d, weights, groups, codebook, current);
                int p = proposal[r];
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
        }
        return new Assignment(changed, loss);
    }

    /**
     * The GEMM's output block, column-major: ND4J 1.0.0-M2.1 writes a column-major result straight from BLAS, while a
     * row-major output went through a path measured about 15x slower here for these tall, thin products.
     */
    static INDArray distanceBlock(int rows, int k) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, k}, 'f');
    }

    /**
     * Per row of a column-major rows x k block (native-order bytes, as ND4J holds it): the column of the smallest
     * value, the lowest column on ties. Whole vectors of rows go through the Vector API when present, the rest (or
     * all, without it) through the scalar loop; both give the same index and value.
     */
    static void argminPerRow(ByteBuffer block, int rows, int k, int[] index, float[] value) {
        int done = Simd.ENABLED ? VectorLoops.argminPerRow(block, rows, k, index, value) : 0;
        if (done < rows) {
            argminPerRow(block.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer(), done, rows, k, index, value);
        }
    }

    /** The scalar argmin of rows [from, rows) of the block. */
    static void argminPerRow(FloatBuffer block, int from, int rows, int k, int[] index, float[] value) {
        for (int r = from; r < rows; r++) {
            value[r] = block.get(r);
            index[r] = 0;
        }
        for (int j = 1; j < k; j++) {
            int offset = j * rows;
            for (int r = from; r < rows; r++) {
                float v = block.get(offset + r);
                if (v < value[r]) {
                    value[r] = v;
                    index[r] = j;
                }
            }
        }
    }

    /** [w | -2 w o v] for subvectors start .. start + rows - 1, row-major rows x 2d. */
    static float[] dataSide(float[] data, int d, float[] weights, int groups, int start, int rows) {
        float[] a = new float[rows * 2 * d];
        for (int r = 0; r < rows; r++) {
            int g = start + r;
            int w0 = (g % groups) * d;
            for (int t = 0; t < d; t++) {
                float w = weights[w0 + t];
                a[r * 2 * d + t] = w;
                a[r * 2 * d + d + t] = -2f * w * data[g * d + t];
            }
        }
        return a;
    }

    /** [c o c ; c] as a 2d x K row-major matrix (column j = centroid j). */
    static float[] centroidSide(float[] codebook, int k, int d) {
        float[] b = new float[2 * d * k];
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++) {
                float c = codebook[j * d + t];
                b[t * k + j] = c * c;
                b[(d + t) * k + j] = c;
            }
        }
        return b;
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
