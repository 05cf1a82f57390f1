package org.nowag.kernels.budget;

/**
 * LACONIC's multiplier update, used to bracket lambda before the exact search:
 * lambda <- clip(lambda + eta * lambdaMax * (C(lambda) / B - 1), 0, lambdaMax).
 * LACONIC's multiplier is dimensionless (it scales a length penalty); ours has units of loss per budget unit, so the
 * step is taken relative to lambdaMax, the largest gain on any curve (above it every matrix takes its cheapest
 * setting). With a constant step the iterates overshoot on heavy-tailed curves; that is fine: each iterate narrows
 * the bracket (over budget: lambda is too small; within: large enough), and the search that follows is exact.
 */
public final class DualAscent {
    /** Start at lambda = 0 (LACONIC starts its multiplier at its floor). */
    public static final double DEFAULT_START = 0.0;
    public static final double DEFAULT_ETA = 0.5;
    public static final int DEFAULT_STEPS = 16;

    final double start;
    final double eta;
    final int steps;

    /**
     * @param start first lambda as a fraction of lambdaMax, in [0, 1]
     * @param eta   step size as a fraction of lambdaMax per unit of relative budget error, > 0
     * @param steps number of updates, >= 0 (0: bracket [0, lambdaMax] only)
     */
    public DualAscent(double start, double eta, int steps) {
        if (!(start >= 0 && start <= 1)) throw new IllegalArgumentException("dual ascent start " + start + " not in [0, 1]");
        if (!(eta > 0) || Double.isInfinite(eta)) throw new IllegalArgumentException("dual ascent eta " + eta + " must be > 0");
        if (steps < 0) throw new IllegalArgumentException("dual ascent steps " + steps + " must be >= 0");
        this.start = start;
        this.eta = eta;
        this.steps = steps;
    }

    public static DualAscent defaults() {
        return new DualAscent(DEFAULT_START, DEFAULT_ETA, DEFAULT_STEPS);
    }
}
