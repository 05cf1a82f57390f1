package org.nowag.kernels.vq;

/**
 * Rounds floats to the nearest IEEE binary16 value (ties to even), kept as float. The VQ kernel stores its
 * codebook and norms in 16 bits (the NoWag reference counts them as 16-bit), so it rounds them before it builds
 * W_hat: the model it writes then decodes to exactly the W_hat it reported. Pure arithmetic, no bit tricks:
 * a finite half has an ulp of 2^(max(e, -14) - 10), and Math.rint on value / ulp rounds half to even.
 */
public final class HalfPrecision {
    /** Largest finite binary16 value. */
    public static final float MAX = 65504f;

    private HalfPrecision() {}

    /** The binary16 value nearest to x; +-Inf when |x| rounds past MAX (as IEEE does); NaN stays NaN. */
    public static float round(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x) || x == 0f) {
            return x;
        }
        double a = Math.abs(x);
        int ulpExponent = Math.max(Math.getExponent(a), -14) - 10;
        double q = Math.scalb(Math.rint(Math.scalb(a, -ulpExponent)), ulpExponent);
        float r = q > MAX ? Float.POSITIVE_INFINITY : (float) q;
        return x < 0 ? -r : r;
    }

    /** Rounds every element in place; a value that overflows binary16 is an error naming it. */
    public static void roundAll(float[] v, String name) {
        for (int i = 0; i < v.length; i++) {
            float r = round(v[i]);
            if (Float.isInfinite(r) && !Float.isInfinite(v[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + v[i] + " does not fit in 16-bit float "
                        + "(largest is 65504); store it as F32 instead");
            }
            v[i] = r;
        }
    }
}
