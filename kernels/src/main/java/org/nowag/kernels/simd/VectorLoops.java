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
