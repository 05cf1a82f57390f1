package org.nowag.kernels.budget;

/**
 * The settings of one curve a Lagrangian can pick: the lower convex chain from the cheapest setting to the first
 * setting of least loss. Between consecutive vertices t and t + 1 the gain g_t = (loss_t - loss_t+1) / (cost_t+1 -
 * cost_t) is the loss saved per unit of cost; the chain keeps g strictly decreasing and positive (a vertex whose
 * gain does not drop is removed, so collinear points are not vertices), comparing the same computed doubles the
 * allocator compares, so the chain is convex in exactly the arithmetic used later.
 *
 * <p>For a multiplier lambda >= 0 the setting minimising loss + lambda * cost is the first vertex whose next gain
 * is <= lambda (ties go to the cheaper setting): {@link #pick}.
 */
final class LowerHull {
    final int[] vertex;  // [V] indices into the curve's points, ascending cost
    final double[] gain; // [V - 1] strictly decreasing, > 0

    private LowerHull(int[] vertex, double[] gain) {
        this.vertex = vertex;
        this.gain = gain;
    }

    static LowerHull of(CostCurve c) {
        int last = 0; // first point of least loss
        for (int i = 1; i < c.points(); i++) {
            if (c.loss(i) < c.loss(last)) last = i;
        }
        int[] h = new int[last + 1];
        int size = 0;
        for (int p = 0; p <= last; p++) {
            while (size >= 2 && gain(c, h[size - 2], h[size - 1]) <= gain(c, h[size - 1], p)) size--;
            h[size++] = p;
        }
        int[] v = new int[size];
        System.arraycopy(h, 0, v, 0, size);
        double[] g = new double[size - 1];
        for (int t = 0; t < size - 1; t++) g[t] = gain(c, v[t], v[t + 1]);
        return new LowerHull(v, g);
    }

    /** Loss saved per unit of cost going from point a to a costlier point b. */
    static double gain(CostCurve c, int a, int b) {
        return (c.loss(a) - c.loss(b)) / (double) (c.cost(b) - c.cost(a));
    }

    int vertices() {
        return vertex.length;
    }

    /** The vertex (index into {@link #vertex}) minimising loss + lambda * cost, ties to the cheaper. */
    int pick(double lambda) {
        int lo = 0;
        int hi = gain.length; // answer in [0, gain.length]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (gain[mid] <= lambda) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** Whether every integer cost between vertices t and t + 1 is a setting (all curve segments between fillable). */
    boolean fillable(CostCurve c, int t) {
        for (int i = vertex[t]; i < vertex[t + 1]; i++) {
            if (!c.fillable(i)) return false;
        }
        return true;
    }
}
