package org.nowag.kernels.budget;

import java.util.ArrayList;
import java.util.List;

/**
 * The allocation problem solved the obvious way on tiny inputs: list every setting of every matrix (each point, and
 * each cost a whole number of units into a fillable segment, with the linearly interpolated loss), keep those within the limits,
 * and enumerate every combination. Uses no allocator code (only the curves' public accessors).
 */
final class BruteForce {
    private BruteForce() {}

    /** A matrix's allowed settings: costs[k], losses[k]. */
    static final class Options {
        final long[] costs;
        final double[] losses;

        Options(long[] costs, double[] losses) {
            this.costs = costs;
            this.losses = losses;
        }
    }

    static Options options(CostCurve c, double loPerWeight, double hiPerWeight) {
        List<long[]> cs = new ArrayList<>();
        List<Double> ls = new ArrayList<>();
        for (int i = 0; i < c.points(); i++) {
            add(cs, ls, c, c.cost(i), c.loss(i), loPerWeight, hiPerWeight);
            if (i + 1 < c.points() && c.fillable(i)) {
                for (long x = c.cost(i) + c.unit(); x < c.cost(i + 1); x += c.unit()) {
                    double f = (double) (x - c.cost(i)) / (c.cost(i + 1) - c.cost(i));
                    add(cs, ls, c, x, c.loss(i) + f * (c.loss(i + 1) - c.loss(i)), loPerWeight, hiPerWeight);
                }
            }
        }
        long[] costs = new long[cs.size()];
        double[] losses = new double[cs.size()];
        for (int k = 0; k < costs.length; k++) {
            costs[k] = cs.get(k)[0];
            losses[k] = ls.get(k);
        }
        return new Options(costs, losses);
    }

    private static void add(List<long[]> cs, List<Double> ls, CostCurve c, long cost, double loss, double lo, double hi) {
        double perWeight = (double) cost / c.weights();
        if (perWeight >= lo - 1e-12 && perWeight <= hi + 1e-12) {
            cs.add(new long[] {cost});
            ls.add(loss);
        }
    }

    /**
     * best[b] = the least total loss of any combination with total cost <= b, for b = 0..maxBudget (+infinity when
     * nothing fits): every combination is enumerated once.
     */
    static double[] optimumByBudget(List<Options> options, int maxBudget) {
        double[] exact = new double[maxBudget + 1];
        java.util.Arrays.fill(exact, Double.POSITIVE_INFINITY);
        enumerate(options, 0, 0, 0.0, exact);
        double[] best = new double[maxBudget + 1];
        double run = Double.POSITIVE_INFINITY;
        for (int b = 0; b <= maxBudget; b++) {
            run = Math.min(run, exact[b]);
            best[b] = run;
        }
        return best;
    }

    private static void enumerate(List<Options> options, int i, long cost, double loss, double[] exact) {
        if (cost >= exact.length) return;
        if (i == options.size()) {
            exact[(int) cost] = Math.min(exact[(int) cost], loss);
            return;
        }
        Options o = options.get(i);
        for (int k = 0; k < o.costs.length; k++) {
            enumerate(options, i + 1, cost + o.costs[k], loss + o.losses[k], exact);
        }
    }

    /** For a multiplier lambda: each matrix's setting minimising loss + lambda * cost, ties to the cheaper: {cost, loss}. */
    static double[] lagrangian(List<Options> options, double lambda) {
        long cost = 0;
        double loss = 0;
        for (Options o : options) {
            int best = 0;
            for (int k = 1; k < o.costs.length; k++) {
                double a = o.losses[k] + lambda * o.costs[k];
                double b = o.losses[best] + lambda * o.costs[best];
                if (a < b || (a == b && o.costs[k] < o.costs[best])) best = k;
            }
            cost += o.costs[best];
            loss += o.losses[best];
        }
        return new double[] {cost, loss};
    }

    /** Every ratio (l_a - l_b) / (c_b - c_a) within a matrix: the only places the Lagrangian solution can change. */
    static List<Double> candidateMultipliers(List<Options> options) {
        List<Double> out = new ArrayList<>();
        for (Options o : options) {
            for (int a = 0; a < o.costs.length; a++) {
                for (int b = 0; b < o.costs.length; b++) {
                    if (o.costs[b] > o.costs[a] && o.losses[a] > o.losses[b]) {
                        out.add((o.losses[a] - o.losses[b]) / (o.costs[b] - o.costs[a]));
                    }
                }
            }
        }
        return out;
    }
}
