package org.nowag.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the kernels' element-wise hot loops. Every method computes, lane by lane, exactly the
 * float/double operations of its scalar loop in the same order (no fused multiply-add, no reordered sums), so
 * results are bit-identical to the scalar path; the tests (SimdMatchesScalarTest) check that. Callers handle the
 * tail after the last full vector with their scalar loop: each method returns how far it got.
 * Only call when {@link Simd#ENABLED}: this class needs jdk.incubator.vector.
 */
public final class VectorLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Doubles with as many lanes as F's floats: twice the bits (an 8-float 256-bit load widens to 512 bits). */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F_HALF =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private VectorLoops() {}

    static int bits() {
        return F.vectorBitSize();
    }

    /**
     * acc[j] += (double) x * x for x = w[offset + j], j in [0, cols), stopping before the first vector that holds a
     * non-finite value. Returns the j where it stopped (cols rounded down to whole vectors when all are finite);
     * the caller finishes with its scalar loop, which also reports the bad value.
     */
    public static int accumulateSquares(float[] w, int offset, int cols, double[] acc) {
        int step = F_HALF.length();
        int bound = F_HALF.loopBound(cols);
        int j = 0;
        for (; j < bound; j += step) {
            FloatVector x = FloatVector.fromArray(F_HALF, w, offset + j);
            if (!allFinite(x)) {
                return j;
            }
            DoubleVector xd = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector.fromArray(D, acc, j).add(xd.mul(xd)).intoArray(acc, j);
        }
        return j;
    }

    /** out[k] = |w[k]| for k in [0, n rounded down to whole vectors); returns where it stopped. */
    public static int abs(float[] w, float[] out) {
        int bound = F.loopBound(w.length);
        int k = 0;
        for (; k < bound; k += F.length()) {
            FloatVector.fromArray(F, w, k).abs().intoArray(out, k);
        }
        return k;
    }

    /** out[offset + j] = |w[offset + j]| * factor[j]; returns where it stopped. */
    public static int absTimes(float[] w, int offset, int cols, float[] factor, float[] out) {
        int bound = F.loopBound(cols);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, w, offset + j).abs().mul(FloatVector.fromArray(F, factor, j))
                    .intoArray(out, offset + j);
        }
        return j;
    }

    /** out[offset + j] = (w / c_j / r)^2 * weight[j], as (wb * wb) * weight; returns where it stopped. */
    public static int normalizedSquareTimes(float[] w, int offset, int cols, float[] colNorms, float r,
                                            float[] weight, float[] out) {
        int bound = F.loopBound(cols);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector wb = FloatVector.fromArray(F, w, offset + j).div(FloatVector.fromArray(F, colNorms, j)).div(r);
            wb.mul(wb).mul(FloatVector.fromArray(F, weight, j)).intoArray(out, offset + j);
        }
        return j;
    }

    /** out[offset + j] = w / c_j / r; returns where it stopped. */
    public static int normalizeRow(float[] w, int offset, int cols, float[] colNorms, float r, float[] out) {
        int bound = F.loopBound(cols);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, w, offset + j).div(FloatVector.fromArray(F, colNorms, j)).div(r)
                    .intoArray(out, offset + j);
        }
        return j;
    }

    /**
     * sq[j] = (double) q * q for q = w[offset + j] / colNorms[j] (one float division), the terms of a row norm's sum
     * of squares, stopping before the first vector that holds a non-finite weight. Returns where it stopped; the
     * caller adds the terms in column order, so the sum is the scalar loop's bit for bit.
     */
    public static int scaledSquares(float[] w, int offset, int cols, float[] colNorms, double[] sq) {
        int step = F_HALF.length();
        int bound = F_HALF.loopBound(cols);
        int j = 0;
        for (; j < bound; j += step) {
            FloatVector x = FloatVector.fromArray(F_HALF, w, offset + j);
            if (!allFinite(x)) {
                return j;
            }
            DoubleVector q = (DoubleVector) x.div(FloatVector.fromArray(F_HALF, colNorms, j))
                    .convertShape(VectorOperators.F2D, D, 0);
            q.mul(q).intoArray(sq, j);
        }
        return j;
    }


    /**
     * How many leading elements of w are known finite, in whole vectors: stops before the first vector that holds a
     * NaN or an infinity (or at the last whole vector). The caller's scalar loop checks the rest and reports the value.
     */
    public static int finitePrefix(float[] w) {
        int bound = F.loopBound(w.length);
        int k = 0;
        for (; k < bound; k += F.length()) {
            if (!allFinite(FloatVector.fromArray(F, w, k))) {
                return k;
            }
        }
        return k;
    }

    /** Whether {@link #prunedLossLanes} runs here: 8 double lanes per vector (512-bit vectors). */
    public static boolean hasLossLanes() {
        return D.length() == 8;
    }

    /**
     * The pruning losses' terms of row elements [offset, offset + bound), bound = cols rounded down to 8, added to
     * 8 lane sums each: lanes[l], lanes[8 + l], lanes[16 + l] for columns j = l (mod 8) get s_j * qp^2 (proxy loss),
     * s_j * q^2 (proxy energy) and s_j * xp^2 (data-aware loss), with q = w / c_j / r, xp = w - p (the weight where
     * pruned, +0 where kept: p is the pruned row) and qp = q where xp != 0, else 0. The scalar LossLanes loop adds the
     * same terms to the same lanes, so the sums agree bit for bit. Returns bound, or 0 when !hasLossLanes().
     */
    public static int prunedLossLanes(float[] w, float[] p, int offset, int cols, float[] colNorms, float r,
                                      float[] s, double[] lanes) {
        if (!hasLossLanes()) {
            return 0;
        }
        int bound = cols - cols % 8;
        DoubleVector loss = DoubleVector.fromArray(D, lanes, 0);
        DoubleVector energy = DoubleVector.fromArray(D, lanes, 8);
        DoubleVector data = DoubleVector.fromArray(D, lanes, 16);
        FloatVector zero = FloatVector.zero(F_HALF);
        for (int j = 0; j < bound; j += 8) {
            FloatVector x = FloatVector.fromArray(F_HALF, w, offset + j);
            FloatVector xp = x.sub(FloatVector.fromArray(F_HALF, p, offset + j));
            FloatVector q = x.div(FloatVector.fromArray(F_HALF, colNorms, j)).div(r);
            FloatVector qp = zero.blend(q, xp.compare(VectorOperators.NE, 0f));
            DoubleVector sd = (DoubleVector) FloatVector.fromArray(F_HALF, s, j).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector qd = (DoubleVector) q.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector qpd = (DoubleVector) qp.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector xpd = (DoubleVector) xp.convertShape(VectorOperators.F2D, D, 0);
            loss = loss.add(sd.mul(qpd).mul(qpd));
            energy = energy.add(sd.mul(qd).mul(qd));
            data = data.add(sd.mul(xpd).mul(xpd));
        }
        loss.intoArray(lanes, 0);
        energy.intoArray(lanes, 8);
        data.intoArray(lanes, 16);
        return bound;
    }

    /**
     * True when every lane is finite: |x| <= Float.MAX_VALUE is false for an infinity and for NaN. Written as abs and
     * compare rather than {@code test(IS_FINITE)}: on JDK 17 that test reinterprets lanes through a path C2 does not
     * always intrinsify, and the hot loops then fell back to allocating per vector and ran 3-100x slower (measured:
     * column sums of squares 0.5-25 ns per element, 0.2 with this form).
     */
    private static boolean allFinite(FloatVector x) {
        return x.abs().compare(VectorOperators.LE, Float.MAX_VALUE).allTrue();
    }
}
