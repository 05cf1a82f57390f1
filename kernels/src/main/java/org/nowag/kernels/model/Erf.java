package org.nowag.kernels.model;

/**
 * The error function, which Java's Math lacks. Abramowitz and Stegun 7.1.26: |error| <= 1.5e-7 for every x,
 * below float32 resolution of GELU's 1 + erf(x) term, so GELU stays within a float ulp or two of torch's.
 */
public final class Erf {
    private Erf() {}

    private static final double P = 0.3275911;
    private static final double A1 = 0.254829592;
    private static final double A2 = -0.284496736;
    private static final double A3 = 1.421413741;
    private static final double A4 = -1.453152027;
    private static final double A5 = 1.061405429;

    public static double erf(double x) {
        double ax = Math.abs(x);
        double t = 1.0 / (1.0 + P * ax);
        double poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        double y = 1.0 - poly * Math.exp(-ax * ax);
        return x < 0 ? -y : y;
    }
}
