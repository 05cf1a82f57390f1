package org.nowag.kernels.budget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Spends one model-wide budget across matrices: minimise sum_i loss_i(setting_i) subject to
 * sum_i cost_i(setting_i) <= B, each setting within its matrix's limits. A separable knapsack with one constraint,
 * solved through its Lagrangian: for a multiplier lambda every matrix independently takes the setting minimising
 * loss + lambda * cost ({@link LowerHull#pick}, ties to the cheaper), and the total cost C(lambda) falls as lambda
 * grows.
 *
 * <ol>
 * <li><b>Bracket</b> by LACONIC's dual ascent ({@link DualAscent}): lambda = 0 over budget, lambdaMax within it,
 *     and every iterate narrows [lo, hi].</li>
 * <li><b>Search</b>: C changes only at the curves' hull gains, so bisection over the sorted gains inside the bracket
 *     finds lambda*, the least lambda with C(lambda) <= B, exactly (no tolerance).</li>
 * <li><b>Land</b>: the segments of gain exactly lambda* are where the budget's last units go (just below lambda*
 *     they are all taken and C > B). Taken whole in matrix order while they fit; a fillable one that does not fit is
 *     taken in part (in whole steps of its unit), which meets B to the unit. Then any leftover goes to the moves
 *     that lower the loss (or, when the budget must be reached, do not raise it), largest saving first, then the
 *     smaller cost step, then the earlier matrix, until none fits.</li>
 * </ol>
 *
 * <p><b>Guarantees</b> (on the curves given, i.e. on their loss estimates). The total never exceeds B. Let
 * D(lambda) = sum_i min_s (loss_i(s) + lambda cost_i(s)) - lambda B. Every allocation within B loses at least
 * D(lambda) (weak duality), reported as {@link Allocation#lowerBound} = D(lambda*), which is also the optimum of the
 * LP relaxation (the lambda* segments filled fractionally). The allocation loses at most
 * D(lambda*) + lambda* r + e, reported as {@link Allocation#gapBound} = lambda* r + e, where r is the budget left
 * after step 3 (r = 0 when a fillable segment of unit 1 absorbed it; otherwise r is less than the cost step of the
 * first lambda* segment that did not fit, or than its unit, so lambda* r is less than that segment's loss drop) and
 * e >= 0 is how far the curves lie above their hulls at partly taken segments (0 on convex curves). Hence: when B equals the cost of
 * a Lagrangian solution, r = e = 0 and the allocation is optimal; in general it is within one hull segment's loss
 * drop of optimal, and the step 4 moves only lower the loss. Budgets met: exactly, when some curve is fillable where
 * the budget's last units fall; otherwise within one setting step of one matrix (no move that lowers the loss, or for a
 * budget that must be reached no move that keeps it, fits the slack).
 *
 * <p>Deterministic: the same curves in the same order give the same allocation.
 */
public final class Allocator {
    private Allocator() {}

    public static Allocation allocate(List<CostCurve> curves, Budget budget, Limits limits, DualAscent ascent) {
        if (curves == null || curves.isEmpty()) {
            throw new IllegalArgumentException("nothing to allocate: no cost curves (did any matrix match?)");
        }
        if (budget == null) throw new IllegalArgumentException("budget is null");
        Limits lim = limits == null ? Limits.none() : limits;
        DualAscent da = ascent == null ? DualAscent.defaults() : ascent;
        int m = curves.size();
        Set<String> names = new HashSet<>();
        long weights = 0;
        for (CostCurve c : curves) {
            if (c == null) throw new IllegalArgumentException("a cost curve is null");
            if (!names.add(c.name())) throw new IllegalArgumentException("matrix " + c.name() + " has two cost curves");
            weights = Math.addExact(weights, c.weights());
        }
        long b = budget.total(weights);
        CostCurve[] curve = new CostCurve[m];
        LowerHull[] hull = new LowerHull[m];
        long floor = 0;
        long ceiling = 0;
        for (int i = 0; i < m; i++) {
            CostCurve c = curves.get(i);
            long[] range = lim.costRange(c.name(), c.weights());
            curve[i] = c.restrict(range[0], range[1]);
            hull[i] = LowerHull.of(curve[i]);
            floor = Math.addExact(floor, curve[i].minCost());
            ceiling = Math.addExact(ceiling, curve[i].maxCost());
        }
        if (floor > b) throw belowFloors(budget, b, floor, curve);
        if (budget.mustReach() && ceiling < b) {
            throw new IllegalArgumentException("budget " + budget + " = " + b + " " + budget.unit() + " cannot be"
                    + " reached: the costliest settings the limits allow total " + ceiling + " " + budget.unit()
                    + " (lower the sparsity floors)");
        }
        return new Search(curve, hull, b, budget, da).run();
    }

    private static IllegalArgumentException belowFloors(Budget budget, long b, long floor, CostCurve[] curve) {
        Integer[] order = new Integer[curve.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Long.compare(curve[y].minCost(), curve[x].minCost()));
        StringBuilder largest = new StringBuilder();
        for (int k = 0; k < Math.min(3, order.length); k++) {
            if (k > 0) largest.append(", ");
            largest.append(curve[order[k]].name()).append(' ').append(curve[order[k]].minCost());
        }
        return new IllegalArgumentException("budget " + budget + " = " + b + " " + budget.unit() + " is infeasible:"
                + " the cheapest settings the limits allow already total " + floor + " " + budget.unit()
                + " (largest: " + largest + "); raise the budget or lower the floors");
    }

    /** One allocation run: the curves, their hulls, and the trace of every lambda tried. */
    private static final class Search {
        final CostCurve[] curve;
        final LowerHull[] hull;
        final long b;
        final Budget budget;
        final DualAscent ascent;
        final List<Allocation.Step> trace = new ArrayList<>();

        Search(CostCurve[] curve, LowerHull[] hull, long b, Budget budget, DualAscent ascent) {
            this.curve = curve;
            this.hull = hull;
            this.b = b;
            this.budget = budget;
            this.ascent = ascent;
        }

        long vertexCost(int i, int t) {
            return curve[i].cost(hull[i].vertex[t]);
        }

        double vertexLoss(int i, int t) {
            return curve[i].loss(hull[i].vertex[t]);
        }

        /** C(lambda), recording lambda, C and the loss in the trace. */
        long evaluate(String phase, double lambda) {
            long cost = 0;
            double loss = 0;
            for (int i = 0; i < curve.length; i++) {
                int t = hull[i].pick(lambda);
                cost += vertexCost(i, t);
                loss += vertexLoss(i, t);
            }
            trace.add(new Allocation.Step(phase, lambda, cost, loss));
            return cost;
        }

        Allocation run() {
            double lambdaMax = 0;
            for (LowerHull h : hull) {
                if (h.gain.length > 0) lambdaMax = Math.max(lambdaMax, h.gain[0]);
            }
            long c0 = evaluate("ascent", 0.0);
            double lambda = c0 <= b ? 0.0 : searchLambda(lambdaMax, c0);
            return land(lambda);
        }

        /** The least lambda with C(lambda) <= B, given C(0) = c0 > B (so a gain lies in (0, lambdaMax]). */
        double searchLambda(double lambdaMax, long c0) {
            double lo = 0;         // C(lo) > B
            double hi = lambdaMax; // C(hi) = the sum of the cheapest settings <= B (checked before)
            double lambda = ascent.start * lambdaMax;
            long c = lambda == 0 ? c0 : evaluate("ascent", lambda);
            for (int step = 0; step <= ascent.steps; step++) {
                if (c > b) lo = Math.max(lo, lambda);
                else hi = Math.min(hi, lambda);
                if (step == ascent.steps) break;
                double error = (double) c / Math.max(b, 1) - 1;
                lambda = Math.min(lambdaMax, Math.max(0, lambda + ascent.eta * lambdaMax * error));
                c = evaluate("ascent", lambda);
            }
            double[] breakpoints = gainsIn(lo, hi);
            if (breakpoints.length == 0) return hi; // cannot happen: C drops between lo and hi only at a gain
            int l = 0;
            int r = breakpoints.length - 1; // C(breakpoints[r]) = C(hi) <= B: no gain lies in (breakpoints[r], hi]
            while (l < r) {
                int mid = (l + r) >>> 1;
                if (evaluate("search", breakpoints[mid]) <= b) r = mid;
                else l = mid + 1;
            }
            return breakpoints[l];
        }

        double[] gainsIn(double lo, double hi) {
            int n = 0;
            for (LowerHull h : hull) n += h.gain.length;
            double[] g = new double[n];
            int k = 0;
            for (LowerHull h : hull) {
                for (double v : h.gain) {
                    if (v > lo && v <= hi) g[k++] = v;
                }
            }
            double[] sorted = Arrays.copyOf(g, k);
            Arrays.sort(sorted);
            int d = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (d == 0 || sorted[i] != sorted[d - 1]) sorted[d++] = sorted[i];
            }
            return Arrays.copyOf(sorted, d);
        }

        Allocation land(double lambda) {
            int m = curve.length;
            long[] cost = new long[m];
            long total = 0;
            double lagrangianLoss = 0;
            int[] pick = new int[m];
            for (int i = 0; i < m; i++) {
                pick[i] = hull[i].pick(lambda);
                cost[i] = vertexCost(i, pick[i]);
                total += cost[i];
                lagrangianLoss += vertexLoss(i, pick[i]);
            }
            double lowerBound = lagrangianLoss - lambda * (b - total);
            long remaining = b - total;
            double aboveHull = 0;
            if (lambda > 0) {
                for (int i = 0; i < m && remaining > 0; i++) {
                    int t = pick[i];
                    if (t >= hull[i].vertices() - 1 || hull[i].gain[t] != lambda) continue;
                    long step = vertexCost(i, t + 1) - cost[i];
                    if (step <= remaining) {
                        cost[i] += step;
                        remaining -= step;
                    } else if (hull[i].fillable(curve[i], t)) {
                        long take = remaining / curve[i].unit() * curve[i].unit();
                        if (take > 0) {
                            cost[i] += take;
                            double onHull = vertexLoss(i, t) - lambda * take;
                            aboveHull += Math.max(0, curve[i].lossAt(cost[i]) - onHull);
                            remaining -= take;
                        }
                    }
                }
            }
            double gapBound = lambda * remaining + aboveHull;
            fillSlack(cost, remaining);
            List<Allocation.Choice> choices = new ArrayList<>();
            long finalCost = 0;
            double finalLoss = 0;
            for (int i = 0; i < m; i++) {
                CostCurve c = curve[i];
                double loss = c.lossAt(cost[i]);
                choices.add(new Allocation.Choice(c.name(), c.weights(), cost[i], loss, c.errorBoundAt(cost[i]),
                        c.labelAt(cost[i]), c.minCost(), c.maxCost()));
                finalCost += cost[i];
                finalLoss += loss;
            }
            trace.add(new Allocation.Step("final", lambda, finalCost, finalLoss));
            return new Allocation(budget.toString(), b, budget.unit(), choices, lambda, lowerBound, gapBound, trace);
        }

        /** Spends what is left on moves that do not raise a matrix's loss, best saving first, until none fits. */
        void fillSlack(long[] cost, long remaining) {
            while (remaining > 0) {
                Move best = new Move(budget.mustReach());
                for (int i = 0; i < curve.length; i++) {
                    CostCurve c = curve[i];
                    double current = c.lossAt(cost[i]);
                    long limit = cost[i] + remaining;
                    // Along a linear segment the best reachable setting is one of its points or the reachable end.
                    for (int p = firstPointAbove(c, cost[i]); p < c.points() && c.cost(p) <= limit; p++) {
                        best.offer(i, c.cost(p) - cost[i], current - c.loss(p));
                    }
                    long end = c.floorSetting(limit);
                    if (end > cost[i] && !c.isPoint(end)) {
                        best.offer(i, end - cost[i], current - c.lossAt(end));
                    }
                }
                if (best.matrix < 0) return;
                cost[best.matrix] += best.step;
                remaining -= best.step;
            }
        }

        static int firstPointAbove(CostCurve c, long cost) {
            int lo = 0;
            int hi = c.points();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (c.cost(mid) > cost) hi = mid;
                else lo = mid + 1;
            }
            return lo;
        }
    }

    /**
     * The best slack move so far: the largest saving, then the smaller step, then the earlier matrix. Moves that save
     * nothing count only when the budget must be reached (a sparsity target keeps its exact count even if the last
     * weights kept are zeros); a bit budget is not spent for nothing.
     */
    private static final class Move {
        final boolean zeroSavingCounts;
        int matrix = -1;
        long step;
        double saving;

        Move(boolean zeroSavingCounts) {
            this.zeroSavingCounts = zeroSavingCounts;
        }

        void offer(int i, long step, double saving) {
            if (!(saving > 0 || (zeroSavingCounts && saving == 0))) return;
            if (matrix < 0 || saving > this.saving || (saving == this.saving && step < this.step)) {
                this.matrix = i;
                this.step = step;
                this.saving = saving;
            }
        }
    }
}
