package org.nowag.kernels.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allocator against every combination of settings on small random curves: discrete and fillable, convex or
 * not, monotone or not, with and without per-matrix limits.
 */
class AllocatorMatchesBruteForceTest {
    static final int WEIGHTS = 20; // every matrix has 20 weights; costs are 0..20 (kept weights)
    static final double TOL = 1e-9;

    /** FILLABLE_IN_BITS: a fillable monotone curve re-costed as 3 + 2 * cost (like 16 bits per row + 32 per weight). */
    enum Shape { DISCRETE, DISCRETE_MONOTONE, FILLABLE, FILLABLE_MONOTONE, MIXED, FILLABLE_IN_BITS }

    static List<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (long seed = 1; seed <= 12; seed++) {
                out.add(new Object[] {shape, seed, false});
                out.add(new Object[] {shape, seed, true});
            }
        }
        return out;
    }

    /** 2 to 4 matrices of 2 to 6 points with costs in 0..20; losses random (or decreasing in cost). */
    static List<CostCurve> curves(Shape shape, long seed) {
        Random rnd = new Random(seed * 7919 + shape.ordinal());
        int m = 2 + rnd.nextInt(3);
        List<CostCurve> curves = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            long[] cost = randomCosts(rnd);
            int p = cost.length;
            double[] loss = new double[p];
            for (int k = 0; k < p; k++) loss[k] = Math.round(rnd.nextDouble() * 1000) / 10.0;
            boolean monotone = shape == Shape.DISCRETE_MONOTONE || shape == Shape.FILLABLE_MONOTONE
                    || shape == Shape.FILLABLE_IN_BITS;
            if (monotone) {
                java.util.Arrays.sort(loss);
                for (int a = 0, b = p - 1; a < b; a++, b--) {
                    double t = loss[a];
                    loss[a] = loss[b];
                    loss[b] = t;
                }
            }
            boolean[] fillable = new boolean[p - 1];
            for (int k = 0; k < p - 1; k++) {
                fillable[k] = shape == Shape.FILLABLE || shape == Shape.FILLABLE_MONOTONE
                        || shape == Shape.FILLABLE_IN_BITS || (shape == Shape.MIXED && rnd.nextBoolean());
            }
            String[] labels = new String[p];
            for (int k = 0; k < p; k++) labels[k] = "s" + k;
            CostCurve c = new CostCurve("m" + i, WEIGHTS, cost, loss, new double[p], fillable, new double[p - 1], labels);
            curves.add(shape == Shape.FILLABLE_IN_BITS ? c.withCost(3, 2) : c);
        }
        return curves;
    }

    /** 2 to 6 distinct costs in 0..WEIGHTS, ascending. */
    static long[] randomCosts(Random rnd) {
        int p = 2 + rnd.nextInt(5);
        TreeSet<Long> costSet = new TreeSet<>();
        while (costSet.size() < p) costSet.add((long) rnd.nextInt(WEIGHTS + 1));
        return costSet.stream().mapToLong(Long::longValue).toArray();
    }

    /** Random floors and ceilings (as kept fractions) for some matrices, by name rules. */
    static Limits limits(long seed, boolean limited, double[][] ranges, int m) {
        Limits lim = Limits.none();
        Random rnd = new Random(seed ^ 0xABCDEF);
        for (int i = 0; i < m; i++) {
            ranges[i] = new double[] {0, Double.POSITIVE_INFINITY};
            if (limited && rnd.nextBoolean()) {
                double lo = rnd.nextInt(8) / 20.0;
                double hi = lo + (4 + rnd.nextInt(10)) / 20.0;
                ranges[i] = new double[] {lo, hi};
                lim = lim.withRule("^m" + i + "$", lo, hi);
            }
        }
        return lim;
    }

    static List<BruteForce.Options> options(List<CostCurve> curves, double[][] ranges) {
        List<BruteForce.Options> out = new ArrayList<>();
        for (int i = 0; i < curves.size(); i++) out.add(BruteForce.options(curves.get(i), ranges[i][0], ranges[i][1]));
        return out;
    }

    static long sum(List<BruteForce.Options> opts, boolean max) {
        long s = 0;
        for (BruteForce.Options o : opts) {
            s += max ? LongStream.of(o.costs).max().getAsLong() : LongStream.of(o.costs).min().getAsLong();
        }
        return s;
    }

    static Allocation allocate(List<CostCurve> curves, long budget, Limits lim) {
        return allocate(curves, budget, lim, false);
    }

    static Allocation allocate(List<CostCurve> curves, long budget, Limits lim, boolean exact) {
        Budget b = exact ? Budget.exactly(budget, "units") : Budget.atMost(budget, "units");
        return Allocator.allocate(curves, b, lim, DualAscent.defaults());
    }

    @ParameterizedTest(name = "{0} seed={1} limited={2}")
    @MethodSource("cases")
    void atTheCostOfAnyLagrangianSolutionTheAllocationIsOptimal(Shape shape, long seed, boolean limited) {
        List<CostCurve> curves = curves(shape, seed);
        double[][] ranges = new double[curves.size()][];
        Limits lim = limits(seed, limited, ranges, curves.size());
        List<BruteForce.Options> opts = options(curves, ranges);
        if (opts.stream().anyMatch(o -> o.costs.length == 0)) return; // a rule left a matrix no setting: tested below
        double[] best = BruteForce.optimumByBudget(opts, (int) sum(opts, true));
        List<Double> lambdas = BruteForce.candidateMultipliers(opts);
        Collections.sort(lambdas);
        List<Double> probes = new ArrayList<>();
        probes.add(0.0);
        for (int k = 0; k + 1 < lambdas.size(); k++) probes.add((lambdas.get(k) + lambdas.get(k + 1)) / 2);
        if (!lambdas.isEmpty()) probes.add(lambdas.get(lambdas.size() - 1) * 2 + 1);
        int checked = 0;
        for (double lambda : probes) {
            double[] sol = BruteForce.lagrangian(opts, lambda);
            long budget = (long) sol[0];
            // Everett: a Lagrangian solution is optimal at its own cost (the brute force agrees, a check on the check)
            assertEquals(best[(int) budget], sol[1], TOL * (1 + Math.abs(sol[1])));
            Allocation a = allocate(curves, budget, lim);
            assertEquals(budget, a.totalCost, "budget " + budget + " at lambda " + lambda);
            assertEquals(best[(int) budget], a.totalLoss, TOL * (1 + Math.abs(best[(int) budget])),
                    "budget " + budget + " at lambda " + lambda);
            checked++;
        }
        assertTrue(checked >= 1);
    }

    @ParameterizedTest(name = "{0} seed={1} limited={2}")
    @MethodSource("cases")
    void atEveryBudgetTheTotalFitsAndTheLossIsWithinTheStatedGap(Shape shape, long seed, boolean limited) {
        List<CostCurve> curves = curves(shape, seed);
        double[][] ranges = new double[curves.size()][];
        Limits lim = limits(seed, limited, ranges, curves.size());
        List<BruteForce.Options> opts = options(curves, ranges);
        if (opts.stream().anyMatch(o -> o.costs.length == 0)) {
            assertThrows(IllegalArgumentException.class, () -> allocate(curves, 1000, lim));
            return;
        }
        long floor = sum(opts, false);
        long ceiling = sum(opts, true);
        double[] best = BruteForce.optimumByBudget(opts, (int) ceiling);
        double maxDrop = 0; // a priori: no allocation is worse than optimal by more than one matrix's whole loss range
        for (BruteForce.Options o : opts) {
            maxDrop = Math.max(maxDrop, java.util.stream.DoubleStream.of(o.losses).max().getAsDouble()
                    - java.util.stream.DoubleStream.of(o.losses).min().getAsDouble());
        }
        for (boolean exact : new boolean[] {false, true}) {
            for (long b = floor; b <= ceiling + (exact ? 0 : 2); b++) {
                Allocation a = allocate(curves, b, lim, exact);
                double opt = best[(int) Math.min(b, ceiling)];
                double tol = TOL * (1 + Math.abs(opt));
                assertTrue(a.totalCost <= b, "total " + a.totalCost + " over budget " + b);
                assertTrue(a.lowerBound <= opt + tol, "lower bound " + a.lowerBound + " above the optimum " + opt);
                assertTrue(a.totalLoss <= opt + a.gapBound + tol,
                        "budget " + b + ": loss " + a.totalLoss + " > optimum " + opt + " + gap bound " + a.gapBound);
                assertTrue(a.totalLoss >= opt - tol, "budget " + b + ": loss below the brute-force optimum?");
                assertTrue(a.gapBound <= maxDrop + tol, "gap bound " + a.gapBound + " > " + maxDrop);
                for (int i = 0; i < curves.size(); i++) {
                    Allocation.Choice c = a.choices.get(i);
                    double perWeight = (double) c.cost / WEIGHTS;
                    assertTrue(perWeight >= ranges[i][0] - 1e-12 && perWeight <= ranges[i][1] + 1e-12,
                            c.name + " at " + perWeight + " outside " + ranges[i][0] + ".." + ranges[i][1]);
                    assertTrue(curves.get(i).isSetting(c.cost), c.name + " cost " + c.cost + " is not a setting");
                    assertEquals(curves.get(i).lossAt(c.cost), c.loss, 1e-12 * (1 + Math.abs(c.loss)));
                }
                assertNoUsefulMoveFits(curves, opts, a, b, exact);
            }
        }
        if (ceiling >= 1) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> allocate(curves, ceiling + 1, lim, true)).getMessage();
            assertTrue(m.contains("cannot be reached") && m.contains(String.valueOf(ceiling)), m);
        }
        for (long b = 0; b < floor; b++) {
            long budget = b;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> allocate(curves, budget, lim));
            assertTrue(e.getMessage().contains("infeasible") && e.getMessage().contains(String.valueOf(floor)),
                    e.getMessage());
        }
    }

    /**
     * Landing: the slack left is smaller than every move that would lower a matrix's loss (for a budget that must be
     * reached: every move that would not raise it).
     */
    static void assertNoUsefulMoveFits(List<CostCurve> curves, List<BruteForce.Options> opts, Allocation a, long b,
                                       boolean exact) {
        long slack = b - a.totalCost;
        for (int i = 0; i < curves.size(); i++) {
            Allocation.Choice c = a.choices.get(i);
            BruteForce.Options o = opts.get(i);
            for (int k = 0; k < o.costs.length; k++) {
                boolean fits = o.costs[k] > c.cost && o.costs[k] - c.cost <= slack;
                boolean useful = exact ? o.losses[k] <= c.loss : o.losses[k] < c.loss;
                assertTrue(!fits || !useful,
                        "budget " + b + ": " + c.name + " could move from " + c.cost + " to " + o.costs[k]
                                + " without losing more (slack " + slack + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0} seed={1} limited={2}")
    @MethodSource("cases")
    void fillableCurvesMeetEveryReachableBudgetToTheUnit(Shape shape, long seed, boolean limited) {
        if (shape != Shape.FILLABLE && shape != Shape.FILLABLE_MONOTONE && shape != Shape.FILLABLE_IN_BITS) return;
        List<CostCurve> curves = curves(shape, seed);
        double[][] ranges = new double[curves.size()][];
        Limits lim = limits(seed, limited, ranges, curves.size());
        List<BruteForce.Options> opts = options(curves, ranges);
        if (opts.stream().anyMatch(o -> o.costs.length == 0)) return;
        for (long b = sum(opts, false); b <= sum(opts, true); b++) {
            Allocation a = allocate(curves, b, lim, true);
            if (shape == Shape.FILLABLE_MONOTONE) {
                assertEquals(b, a.totalCost, "budget " + b);
            } else if (shape == Shape.FILLABLE_IN_BITS) {
                assertTrue(b - a.totalCost < 2, "budget " + b + ": within one step of 2, got " + a.totalCost);
            } else {
                // a non-monotone curve may rightly refuse to spend: only if every further unit raises the loss
                assertTrue(a.totalCost == b || noMatrixGainsFromMore(curves, a), "budget " + b);
            }
        }
    }

    static boolean noMatrixGainsFromMore(List<CostCurve> curves, Allocation a) {
        for (int i = 0; i < curves.size(); i++) {
            Allocation.Choice c = a.choices.get(i);
            if (c.cost < c.maxCost && curves.get(i).lossAt(c.cost + 1) <= c.loss + 1e-12 * (1 + c.loss)) return false;
        }
        return true;
    }

    /** Fillable convex decreasing curves with integer breakpoints: the LP relaxation is integral, so exact. */
    static List<CostCurve> convexCurves(long seed) {
        Random rnd = new Random(seed * 31 + 5);
        int m = 2 + rnd.nextInt(3);
        List<CostCurve> curves = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            long[] cost = randomCosts(rnd);
            int p = cost.length;
            double[] gains = new double[p - 1];
            for (int k = 0; k < p - 1; k++) gains[k] = 0.5 + rnd.nextInt(40) / 4.0;
            java.util.Arrays.sort(gains); // ascending; used from the end, so gains fall with cost
            double[] loss = new double[p];
            loss[0] = 500;
            for (int k = 1; k < p; k++) loss[k] = loss[k - 1] - gains[p - 1 - k] * (cost[k] - cost[k - 1]);
            boolean[] fillable = new boolean[p - 1];
            java.util.Arrays.fill(fillable, true);
            curves.add(new CostCurve("m" + i, WEIGHTS, cost, loss, new double[p], fillable, new double[p - 1],
                    new String[p]));
        }
        return curves;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void onConvexFillableCurvesEveryBudgetIsMetExactlyAndOptimally(long seed) {
        List<CostCurve> curves = convexCurves(seed);
        double[][] ranges = new double[curves.size()][];
        Limits lim = limits(seed, true, ranges, curves.size());
        List<BruteForce.Options> opts = options(curves, ranges);
        if (opts.stream().anyMatch(o -> o.costs.length == 0)) return;
        double[] best = BruteForce.optimumByBudget(opts, (int) sum(opts, true));
        for (long b = sum(opts, false); b <= sum(opts, true); b++) {
            Allocation a = allocate(curves, b, lim);
            assertEquals(b, a.totalCost);
            assertEquals(best[(int) b], a.totalLoss, TOL * (1 + best[(int) b]), "budget " + b);
            assertEquals(0.0, a.gapBound, TOL * (1 + best[(int) b]), "budget " + b);
        }
    }

    static List<Long> seeds() {
        List<Long> s = new ArrayList<>();
        for (long k = 1; k <= 40; k++) s.add(k);
        return s;
    }

    /**
     * Copies of one curve share every multiplier, so at a breakpoint several matrices are indifferent at once and
     * the Lagrangian solutions include every mix of their tied choices. At the cost of each mix the allocation must
     * still be optimal: the landing step spreads the tied segments over the matrices.
     */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("tiedCases")
    void atTheCostOfEveryMixOfTiedChoicesTheAllocationIsOptimal(Shape shape, long seed) {
        CostCurve one = curves(shape, seed).get(0);
        int copies = 3;
        List<CostCurve> curves = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            String[] labels = new String[one.points()];
            long[] cost = new long[one.points()];
            double[] loss = new double[one.points()];
            boolean[] fillable = new boolean[one.points() - 1];
            for (int k = 0; k < one.points(); k++) {
                cost[k] = one.cost(k);
                loss[k] = one.loss(k);
                if (k + 1 < one.points()) fillable[k] = one.fillable(k);
            }
            curves.add(new CostCurve("copy" + i, WEIGHTS, cost, loss, new double[cost.length], fillable,
                    new double[cost.length - 1], labels));
        }
        double[][] ranges = new double[copies][];
        for (int i = 0; i < copies; i++) ranges[i] = new double[] {0, Double.POSITIVE_INFINITY};
        List<BruteForce.Options> opts = options(curves, ranges);
        double[] best = BruteForce.optimumByBudget(opts, (int) sum(opts, true));
        BruteForce.Options o = opts.get(0);
        for (double lambda : BruteForce.candidateMultipliers(opts)) {
            double min = Double.POSITIVE_INFINITY;
            for (int k = 0; k < o.costs.length; k++) min = Math.min(min, o.losses[k] + lambda * o.costs[k]);
            List<Long> tied = new ArrayList<>();
            for (int k = 0; k < o.costs.length; k++) {
                if (o.losses[k] + lambda * o.costs[k] <= min + 1e-9 * (1 + Math.abs(min))) tied.add(o.costs[k]);
            }
            for (long x : tied) {
                for (long y : tied) {
                    for (long z : tied) {
                        long b = x + y + z;
                        Allocation a = allocate(curves, b, Limits.none());
                        assertEquals(best[(int) b], a.totalLoss, TOL * (1 + best[(int) b]),
                                "budget " + b + " at lambda " + lambda);
                    }
                }
            }
        }
    }

    static List<Object[]> tiedCases() {
        List<Object[]> out = new ArrayList<>();
        for (Shape shape : new Shape[] {Shape.DISCRETE, Shape.DISCRETE_MONOTONE}) {
            for (long seed = 1; seed <= 12; seed++) out.add(new Object[] {shape, seed});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} seed={1} limited={2}")
    @MethodSource("cases")
    void theSameInputGivesTheSameAllocation(Shape shape, long seed, boolean limited) {
        List<CostCurve> curves = curves(shape, seed);
        double[][] ranges = new double[curves.size()][];
        Limits lim = limits(seed, limited, ranges, curves.size());
        List<BruteForce.Options> opts = options(curves, ranges);
        if (opts.stream().anyMatch(o -> o.costs.length == 0)) return;
        long b = (sum(opts, false) + sum(opts, true)) / 2;
        Allocation x = allocate(curves, b, lim);
        Allocation y = allocate(curves(shape, seed), b, lim);
        assertEquals(x.lambda, y.lambda);
        assertEquals(x.trace.toString(), y.trace.toString());
        for (int i = 0; i < curves.size(); i++) {
            assertEquals(x.choices.get(i).cost, y.choices.get(i).cost);
            assertEquals(x.choices.get(i).label, y.choices.get(i).label);
        }
    }
}
