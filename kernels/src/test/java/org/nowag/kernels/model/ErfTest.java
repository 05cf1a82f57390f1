package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Erf (for exact GELU) against its Maclaurin series and, for large |x|, the erfc continued fraction. */
class ErfTest {

    static double seriesErf(double x) {
        double sum = 0;
        double term = x; // (-1)^n x^(2n+1) / n!
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** Maclaurin series for |x| <= 2 (little cancellation there); Laplace's continued fraction for erfc beyond. */
    static double referenceErf(double x) {
        double ax = Math.abs(x);
        if (ax <= 2) return seriesErf(x);
        double f = ax;
        for (int k = 200; k >= 1; k--) f = ax + (k / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
        return Math.signum(x) * (1 - erfc);
    }

    @Test
    void erfIsWithin2e7OfSeriesAndContinuedFractionAndOdd() {
        // the two reference forms agree where both converge
        for (double x = 1.5; x <= 2.5; x += 0.1) {
            double f = x;
            for (int k = 200; k >= 1; k--) f = x + (k / 2.0) / f;
            assertEquals(seriesErf(x), 1 - Math.exp(-x * x) / (Math.sqrt(Math.PI) * f), 1e-12, "x=" + x);
        }
        for (double x = -6; x <= 6; x += 0.01) {
            assertEquals(referenceErf(x), Erf.erf(x), 2e-7, "x=" + x);
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0);
        }
        assertEquals(1.0, Erf.erf(10), 1e-15);
        assertEquals(0.0, Erf.erf(0), 1e-8);
    }
}
