package org.nowag.kernels.budget;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nowag.kernels.prune.SparsityPattern;

/**
 * What the allocator chose, with the evidence a report needs: per matrix the setting, its cost and loss; the
 * multiplier; the lower bound every allocation within the budget must lose at least (Lagrangian dual, i.e. the LP
 * relaxation's optimum); a bound on how far this allocation can be above the true optimum; and every lambda tried.
 */
public final class Allocation {
    /** The setting of one matrix. */
    public static final class Choice {
        public final String name;
        public final long weights;
        public final long cost;
        public final double loss;
        /** Bound on |true loss - loss| (0 for exact curves; histogram interpolation otherwise). */
        public final double lossErrorBound;
        /** The setting's label when it is a labelled point ("2:4", "unstructured:0.6:row", a VQ setting), else null. */
        public final String label;
        /** The cheapest and the costliest setting the limits allowed. */
        public final long minCost;
        public final long maxCost;

        Choice(String name, long weights, long cost, double loss, double lossErrorBound, String label, long minCost,
               long maxCost) {
            this.name = name;
            this.weights = weights;
            this.cost = cost;
            this.loss = loss;
            this.lossErrorBound = lossErrorBound;
            this.label = label;
            this.minCost = minCost;
            this.maxCost = maxCost;
        }

        /**
         * The pruning pattern this choice stands for, when the curve's cost is kept weights: the point's label if it
         * has one ("2:4", "unstructured:0.6:row"), else unstructured over {@code group} with sparsity
         * 1 - cost / weights, which {@link SparsityPattern#keptPerGroup} turns back into exactly {@code cost} kept.
         */
        public SparsityPattern pruningPattern(SparsityPattern.Group group) {
            if (label != null && !label.equals("dense")) return SparsityPattern.parse(label);
            if (cost <= 0) {
                throw new IllegalArgumentException("the budget prunes all of " + name + "; set a sparsity ceiling"
                        + " below 1 for it");
            }
            return SparsityPattern.unstructured(1.0 - (double) cost / weights, group);
        }

        /** Cost per weight: kept fraction (1 - sparsity) or bits per weight. */
        public double costPerWeight() {
            return (double) cost / weights;
        }
    }

    /** One multiplier tried: by LACONIC's update ("ascent"), by the exact search ("search"), or chosen ("final"). */
    public static final class Step {
        public final String phase;
        public final double lambda;
        public final long cost;
        public final double loss;

        Step(String phase, double lambda, long cost, double loss) {
            this.phase = phase;
            this.lambda = lambda;
            this.cost = cost;
            this.loss = loss;
        }

        @Override
        public String toString() {
            return phase + " lambda=" + lambda + " cost=" + cost + " loss=" + loss;
        }
    }

    public final String budget;
    public final long budgetTotal;
    public final String unit;
    public final List<Choice> choices;
    public final long totalCost;
    public final double totalLoss;
    /** The multiplier whose Lagrangian solution the allocation starts from (0 when the budget does not bind). */
    public final double lambda;
    /** Every allocation with total cost <= budgetTotal loses at least this much (weak duality). */
    public final double lowerBound;
    /** totalLoss <= the best possible loss within the budget + gapBound (on these curves). */
    public final double gapBound;
    public final List<Step> trace;

    Allocation(String budget, long budgetTotal, String unit, List<Choice> choices, double lambda, double lowerBound,
               double gapBound, List<Step> trace) {
        this.budget = budget;
        this.budgetTotal = budgetTotal;
        this.unit = unit;
        this.choices = Collections.unmodifiableList(choices);
        long c = 0;
        double l = 0;
        for (Choice ch : choices) {
            c += ch.cost;
            l += ch.loss;
        }
        this.totalCost = c;
        this.totalLoss = l;
        this.lambda = lambda;
        this.lowerBound = lowerBound;
        this.gapBound = gapBound;
        this.trace = Collections.unmodifiableList(trace);
    }

    /** Units of the budget left unspent (0 when it is met exactly). */
    public long slack() {
        return budgetTotal - totalCost;
    }

    /** Choices by matrix name, in input order. */
    public Map<String, Choice> byName() {
        Map<String, Choice> m = new LinkedHashMap<>();
        for (Choice c : choices) m.put(c.name, c);
        return m;
    }
}
