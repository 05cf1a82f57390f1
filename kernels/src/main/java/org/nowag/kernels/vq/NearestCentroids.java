package org.nowag.kernels.vq;

import java.util.Arrays;
import org.nowag.kernels.ParallelBlocks;
import org.nowag.kernels.simd.CentroidScan;
import org.nowag.kernels.simd.Simd;

/**
 * NoWag-VQ's fused assignment: for each subvector v of column group g, the centroid k minimising
 * ||v - c_k||^2_w = w.v^2 + [a_gk + sum_t b_t c_kt], with a_gk = sum_t w_gt c_kt^2 (per group, computed once per unit
 * of work) and b = -2 w o v (per subvector). The first term does not depend on k, so the argmin is that of the
 * bracket: d FMAs per centroid, and no n x K score matrix anywhere (the GEMM formulation this replaces wrote and
 * re-read 4 bytes per score).
 *
 * <p>Work is cut into units of one column group x up to {@link #UNIT_ROWS} rows, so all subvectors of a unit share
 * a_g; a unit scans the codebook in tiles of {@link #TILE} centroids (the tile's d rows of the transposed codebook
 * and its a_g stay in the L1 cache) and, per tile, every pair of its subvectors ({@link CentroidScan#scanPair}: the
 * centroid loads are shared by two subvectors whose b sit in registers). Units run on {@code threads} threads; each
 * subvector's answer depends only on v, w_g and the codebook, never on the unit, tile or thread, so the proposals
 * are the same for any thread count and any row blocking.
 *
 * <p>Float arithmetic, fixed per score: a_gk = 0; a = fma(w_t c_kt, c_kt, a); s = a_gk; s = fma(c_kt, b_t, s), t in
 * order; the lowest index of the smallest s wins. The scalar path (no jdk.incubator.vector) computes exactly these
 * floats with Math.fma, so both paths propose the same centroids bit for bit. A proposal is a float-rounded
 * argmin: the caller ({@link WeightedKMeans}) accepts it only on a strict exact (double) improvement.
 */
final class NearestCentroids {
    /** Centroids per tile: d x 1024 floats of the codebook plus 1024 biases = 28 KiB at d = 6, inside L1. */
    static final int TILE = 1024;
    /** Rows of one column group per unit of work: a_g (d x K FMAs) is paid once per this many subvectors. */
    static final int UNIT_ROWS = 128;

    private final int k;
    private final int d;
    /** K padded to whole vectors (and whole tiles of 16); padded centroids have c = 0 and a = +inf, never chosen. */
    private final int kp;
    /** The codebook transposed, [d][kp]: centroid k's coordinate t at t * kp + k. */
    private final float[] ct;
    private final boolean vector;

    NearestCentroids(float[] codebook, int k, int d) {
        this(codebook, k, d, true);
    }

    /** @param vector false forces the scalar loops even when the Vector API is present (tests compare the two) */
    NearestCentroids(float[] codebook, int k, int d, boolean vector) {
        this.k = k;
        this.d = d;
        this.vector = vector && Simd.ENABLED;
        int pad = this.vector ? Math.max(16, CentroidScan.lanes()) : 1;
        this.kp = Math.multiplyExact((k + pad - 1) / pad, pad);
        this.ct = new float[Math.multiplyExact(d, kp)];
        for (int c = 0; c < k; c++) {
            for (int t = 0; t < d; t++) ct[t * kp + c] = codebook[c * d + t];
        }
    }

    /**
     * Proposals for subvectors from .. to - 1 of {@code data} (from a multiple of groups: whole rows), as the index
     * r - from of the returned array.
     */
    int[] propose(float[] data, int from, int to, float[] weights, int groups, int threads) {
        int[] out = new int[to - from];
        int rows = (to - from + groups - 1) / groups;
        int chunks = (rows + UNIT_ROWS - 1) / UNIT_ROWS;
        ParallelBlocks.sum(Math.multiplyExact(groups, chunks), threads, u -> {
            int g = u / chunks;
            int r0 = (u % chunks) * UNIT_ROWS;
            int r1 = Math.min(rows, r0 + UNIT_ROWS);
            // rows of this group that exist: subvector from + r * groups + g must lie below `to`
            int count = 0;
            while (r0 + count < r1 && from + (long) (r0 + count) * groups + g < to) count++;
            if (count > 0) unit(data, from, groups, g, r0, count, weights, out);
            return 0;
        });
        return out;
    }

    /** One unit: group g, rows r0 .. r0 + count - 1 (block-relative). */
    private void unit(float[] data, int from, int groups, int g, int r0, int count, float[] weights, int[] out) {
        int w0 = g * d;
        float[] b = new float[count * d];
        for (int j = 0; j < count; j++) {
            int i = from + (r0 + j) * groups + g;
            for (int t = 0; t < d; t++) b[j * d + t] = (-2f * weights[w0 + t]) * data[i * d + t];
        }
        float[] bias = new float[kp];
        if (vector) {
            CentroidScan.bias(ct, kp, d, weights, w0, bias);
        } else {
            scalarBias(weights, w0, bias);
        }
        Arrays.fill(bias, k, kp, Float.POSITIVE_INFINITY);
        int[] best = vector ? vectorScan(b, count, bias) : scalarScan(b, count, bias);
        for (int j = 0; j < count; j++) out[(r0 + j) * groups + g] = best[j];
    }

    private int[] vectorScan(float[] b, int count, float[] bias) {
        int lanes = CentroidScan.lanes();
        float[] best = new float[count * lanes];
        float[] at = new float[count * lanes];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        for (int k0 = 0; k0 < kp; k0 += TILE) {
            int k1 = Math.min(kp, k0 + TILE);
            for (int j = 0; j < count; j += 2) {
                int q = Math.min(j + 1, count - 1);  // an odd last row is scanned as its own pair
                CentroidScan.scanPair(ct, kp, d, bias, k0, k1, b, j * d, q * d, best, at, j * lanes, q * lanes);
            }
        }
        int[] out = new int[count];
        for (int j = 0; j < count; j++) out[j] = CentroidScan.finish(best, at, j * lanes);
        return out;
    }

    private void scalarBias(float[] weights, int w0, float[] bias) {
        for (int c = 0; c < k; c++) {
            float a = 0f;
            for (int t = 0; t < d; t++) {
                float x = ct[t * kp + c];
                a = Math.fma(weights[w0 + t] * x, x, a);
            }
            bias[c] = a;
        }
    }

    /**
     * The scalar path, shaped for the JIT's own vectorizer (plain java -jar has no Vector API, and a per-centroid
     * loop of d dependent FMAs was measured 30x slower than the vector path): per tile, the scores go to a small
     * array in d + 1 passes of one FMA per element; their minimum is taken; only when it beats the row's best so far
     * is the tile searched for the first index holding it. That is the strict {@code <} scan's answer (the lowest
     * index of the smallest score) on every input; a NaN score (never seen with finite inputs unless w c^2
     * overflows) makes the minimum NaN, and that tile is then scanned strictly, where NaN never wins.
     */
    private int[] scalarScan(float[] b, int count, float[] bias) {
        float[] best = new float[count];
        int[] at = new int[count];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        float[] s = new float[TILE];
        for (int k0 = 0; k0 < k; k0 += TILE) {
            int len = Math.min(TILE, k - k0);
            for (int j = 0; j < count; j++) {
                System.arraycopy(bias, k0, s, 0, len);
                for (int t = 0; t < d; t++) {
                    float bt = b[j * d + t];
                    int row = t * kp + k0;
                    for (int c = 0; c < len; c++) s[c] = Math.fma(ct[row + c], bt, s[c]);
                }
                float m = Float.POSITIVE_INFINITY;
                for (int c = 0; c < len; c++) m = Math.min(m, s[c]);
                if (Float.isNaN(m)) {
                    for (int c = 0; c < len; c++) {
                        if (s[c] < best[j]) {
                            best[j] = s[c];
                            at[j] = k0 + c;
                        }
                    }
                } else if (m < best[j]) {
                    int c = 0;
                    while (s[c] != m) c++;
                    best[j] = m;
                    at[j] = k0 + c;
                }
            }
        }
        return at;
    }
}
