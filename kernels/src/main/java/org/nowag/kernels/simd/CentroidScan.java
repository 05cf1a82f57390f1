package org.nowag.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API half of NoWag-VQ's fused assignment ({@code kernels.vq.NearestCentroids} holds the scalar half
 * and the layout): lanes run over centroids, registers hold the running best score and index of each lane for two
 * subvectors at a time, so no score ever goes to memory. Every score is the scalar loop's exact float sequence
 * s = a_k; s = fma(c_kt, b_t, s) for t = 0 .. d-1 (lanewise FMA is Math.fma), a lane keeps the first index with its
 * smallest score (strict {@code <}, indices visited in increasing order), and {@link #finish} takes the smallest
 * score over the lanes and the lowest index holding it: the lowest index of the minimal score, as the scalar scan.
 * Only call when {@link Simd#ENABLED}.
 */
public final class CentroidScan {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final float[] IOTA = new float[L];

    static {
        for (int i = 0; i < L; i++) IOTA[i] = i;
    }

    private CentroidScan() {}

    /** Centroids per vector; the layout pads K to a multiple of this (or of 16, whichever is larger). */
    public static int lanes() {
        return L;
    }

    /**
     * out[k] = sum_t (w_t c_tk) c_tk for k in [0, kp), as the scalar a = 0; a = fma(w_t * c, c, a) in t order.
     * ct is the d x kp transposed codebook, w the group's weights from w0; kp is a multiple of {@link #lanes}.
     */
    public static void bias(float[] ct, int kp, int d, float[] w, int w0, float[] out) {
        for (int k = 0; k < kp; k += L) {
            FloatVector a = FloatVector.zero(F);
            for (int t = 0; t < d; t++) {
                FloatVector c = FloatVector.fromArray(F, ct, t * kp + k);
                a = c.mul(w[w0 + t]).fma(c, a);
            }
            a.intoArray(out, k);
        }
    }

    /**
     * Scans centroids [k0, k1) (multiples of {@link #lanes}) for two subvectors whose b = -2 w o v start at b[p] and
     * b[q]; their per-lane best scores and indices (float, exact below 2^24) live in best/at from offsets sp, sq
     * (L each) and carry over between calls over increasing k.
     */
    public static void scanPair(float[] ct, int kp, int d, float[] bias, int k0, int k1, float[] b, int p, int q,
                                float[] best, float[] at, int sp, int sq) {
        if (d == 6) {
            scanPair6(ct, kp, bias, k0, k1, b, p, q, best, at, sp, sq);
            return;
        }
        FloatVector best0 = FloatVector.fromArray(F, best, sp);
        FloatVector best1 = FloatVector.fromArray(F, best, sq);
        FloatVector at0 = FloatVector.fromArray(F, at, sp);
        FloatVector at1 = FloatVector.fromArray(F, at, sq);
        FloatVector index = FloatVector.fromArray(F, IOTA, 0).add((float) k0);
        FloatVector step = FloatVector.broadcast(F, (float) L);
        for (int k = k0; k < k1; k += L) {
            FloatVector s0 = FloatVector.fromArray(F, bias, k);
            FloatVector s1 = s0;
            for (int t = 0; t < d; t++) {
                FloatVector c = FloatVector.fromArray(F, ct, t * kp + k);
                s0 = c.fma(FloatVector.broadcast(F, b[p + t]), s0);
                s1 = c.fma(FloatVector.broadcast(F, b[q + t]), s1);
            }
            VectorMask<Float> m0 = s0.compare(VectorOperators.LT, best0);
            VectorMask<Float> m1 = s1.compare(VectorOperators.LT, best1);
            best0 = best0.blend(s0, m0);
            best1 = best1.blend(s1, m1);
            at0 = at0.blend(index, m0);
            at1 = at1.blend(index, m1);
            index = index.add(step);
        }
        best0.intoArray(best, sp);
        best1.intoArray(best, sq);
        at0.intoArray(at, sp);
        at1.intoArray(at, sq);
    }

    /** {@link #scanPair} for d = 6 (NoWag-VQ's default), with the twelve b_t held in registers. */
    private static void scanPair6(float[] ct, int kp, float[] bias, int k0, int k1, float[] b, int p, int q,
                                  float[] best, float[] at, int sp, int sq) {
        FloatVector p0 = FloatVector.broadcast(F, b[p]);
        FloatVector p1 = FloatVector.broadcast(F, b[p + 1]);
        FloatVector p2 = FloatVector.broadcast(F, b[p + 2]);
        FloatVector p3 = FloatVector.broadcast(F, b[p + 3]);
        FloatVector p4 = FloatVector.broadcast(F, b[p + 4]);
        FloatVector p5 = FloatVector.broadcast(F, b[p + 5]);
        FloatVector q0 = FloatVector.broadcast(F, b[q]);
        FloatVector q1 = FloatVector.broadcast(F, b[q + 1]);
        FloatVector q2 = FloatVector.broadcast(F, b[q + 2]);
        FloatVector q3 = FloatVector.broadcast(F, b[q + 3]);
        FloatVector q4 = FloatVector.broadcast(F, b[q + 4]);
        FloatVector q5 = FloatVector.broadcast(F, b[q + 5]);
        FloatVector best0 = FloatVector.fromArray(F, best, sp);
        FloatVector best1 = FloatVector.fromArray(F, best, sq);
        FloatVector at0 = FloatVector.fromArray(F, at, sp);
        FloatVector at1 = FloatVector.fromArray(F, at, sq);
        FloatVector index = FloatVector.fromArray(F, IOTA, 0).add((float) k0);
        FloatVector step = FloatVector.broadcast(F, (float) L);
        int r1 = kp;
        int r2 = 2 * kp;
        int r3 = 3 * kp;
        int r4 = 4 * kp;
        int r5 = 5 * kp;
        for (int k = k0; k < k1; k += L) {
            FloatVector a = FloatVector.fromArray(F, bias, k);
            FloatVector c0 = FloatVector.fromArray(F, ct, k);
            FloatVector c1 = FloatVector.fromArray(F, ct, r1 + k);
            FloatVector c2 = FloatVector.fromArray(F, ct, r2 + k);
            FloatVector c3 = FloatVector.fromArray(F, ct, r3 + k);
            FloatVector c4 = FloatVector.fromArray(F, ct, r4 + k);
            FloatVector c5 = FloatVector.fromArray(F, ct, r5 + k);
            FloatVector s0 = c5.fma(p5, c4.fma(p4, c3.fma(p3, c2.fma(p2, c1.fma(p1, c0.fma(p0, a))))));
            FloatVector s1 = c5.fma(q5, c4.fma(q4, c3.fma(q3, c2.fma(q2, c1.fma(q1, c0.fma(q0, a))))));
            VectorMask<Float> m0 = s0.compare(VectorOperators.LT, best0);
            VectorMask<Float> m1 = s1.compare(VectorOperators.LT, best1);
            best0 = best0.blend(s0, m0);
            best1 = best1.blend(s1, m1);
            at0 = at0.blend(index, m0);
            at1 = at1.blend(index, m1);
            index = index.add(step);
        }
        best0.intoArray(best, sp);
        best1.intoArray(best, sq);
        at0.intoArray(at, sp);
        at1.intoArray(at, sq);
    }

    /** The lowest index among the lanes holding the smallest best score (lanes' state from offset s). */
    public static int finish(float[] best, float[] at, int s) {
        FloatVector b = FloatVector.fromArray(F, best, s);
        float min = b.reduceLanes(VectorOperators.MIN);
        VectorMask<Float> other = b.compare(VectorOperators.NE, min);
        return (int) FloatVector.fromArray(F, at, s).blend(Float.POSITIVE_INFINITY, other).reduceLanes(VectorOperators.MIN);
    }
}
