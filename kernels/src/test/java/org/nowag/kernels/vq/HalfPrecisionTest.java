package org.nowag.kernels.vq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfPrecisionTest {
    /** Every finite non-negative binary16 value, ascending, decoded from its fields by the textbook formula. */
    private static final double[] HALVES = allHalves();

    private static double[] allHalves() {
        double[] v = new double[0x7c00];
        for (int h = 0; h < 0x7c00; h++) {
            int e = h >> 10;
            int m = h & 0x3ff;
            v[h] = e == 0 ? m * Math.pow(2, -24) : (1 + m / 1024.0) * Math.pow(2, e - 15);
        }
        return v;
    }

    /** Nearest half by search; ties go to the even mantissa (even index); beyond MAX + half an ulp: Inf. */
    private static float slowRound(float x) {
        double a = Math.abs((double) x);
        if (a >= 65520) return x < 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        int i = Arrays.binarySearch(HALVES, a);
        double r;
        if (i >= 0) {
            r = HALVES[i];
        } else {
            int hi = -i - 1;
            int lo = hi - 1;
            if (hi >= HALVES.length) {
                r = HALVES[lo];
            } else {
                double dl = a - HALVES[lo];
                double dh = HALVES[hi] - a;
                r = dl < dh ? HALVES[lo] : dh < dl ? HALVES[hi] : HALVES[(lo % 2 == 0) ? lo : hi];
            }
        }
        return (float) (x < 0 ? -r : r);
    }

    @Test
    void roundsToTheNearestHalfWithTiesToEvenLikeASearchOverAllHalves() {
        Random rnd = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(44) - 28));
            assertEquals(slowRound(x), HalfPrecision.round(x), 0f, "x=" + x);
        }
        // Exact midpoints between neighbours (ties), in the normal and subnormal ranges, and the overflow edge.
        for (int h = 0; h + 1 < HALVES.length; h += 37) {
            float mid = (float) ((HALVES[h] + HALVES[h + 1]) / 2);
            assertEquals(slowRound(mid), HalfPrecision.round(mid), 0f, "midpoint after " + HALVES[h]);
        }
        assertEquals(65504f, HalfPrecision.round(65519f), 0f);
        assertEquals(Float.POSITIVE_INFINITY, HalfPrecision.round(65520f), 0f);
    }

    @Test
    void overflowIsAnErrorNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HalfPrecision.roundAll(new float[] {1f, 70000f}, "row norms"));
        assertEquals(true, e.getMessage().contains("row norms[1]"), e.getMessage());
    }
}
